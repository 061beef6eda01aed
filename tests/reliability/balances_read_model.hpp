// balances_read_model.hpp — the SQLite read model the projection crash test builds: each
// account's balance, and one row per applied event position, whose PRIMARY KEY makes a second
// application of any event fail (so the projection stops and the test sees it).
#pragma once

#include <cstdint>
#include <esk/esk.hpp>
#include <string>

#include "ledger.hpp"

namespace esk::reliability {

inline constexpr const char* balances_schema =
    "CREATE TABLE IF NOT EXISTS balances(account_id TEXT PRIMARY KEY, balance INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS applied(position INTEGER PRIMARY KEY);";

// The projection `name` keeping the balances in the SQLite file `path`, checkpointing every
// `checkpoint_every` events.
inline void add_balances_projection(runtime& rt, const std::string& name, const std::string& path,
                                    std::size_t checkpoint_every = 100) {
  typed_projection balances(name);
  balances.on<Deposited>([](const Deposited& deposited, const event_context& at) {
    at.sql().execute(
        "INSERT INTO balances(account_id, balance) VALUES(?1, ?2) ON CONFLICT(account_id)"
        " DO UPDATE SET balance = balance + excluded.balance",
        {deposited.account_id, deposited.amount});
    at.sql().execute("INSERT INTO applied(position) VALUES(?1)",
                     {static_cast<std::int64_t>(at.position())});
  });
  projection_options options;
  options.checkpoints = checkpoint_location::in_sqlite(path, balances_schema);
  options.checkpoint_every = checkpoint_every;
  rt.add_projection(balances, options);
}

}  // namespace esk::reliability
