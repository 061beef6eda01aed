// esk/store/postgres_store.hpp — the shared store for several processes or machines: one
// PostgreSQL database (through libpq).
#pragma once

#include <memory>
#include <string>

#include "esk/result.hpp"
#include "esk/store/event_store.hpp"

namespace esk {

// How to open a PostgreSQL store.
struct postgres_options {
  bool create_if_missing = true;  // false: a database without the store's tables is
                                  // store_unavailable
  bool read_only = false;         // refuse appends, snapshots and checkpoints
                                  // (store_unavailable); never create tables
  int connections = 4;            // at most this many calls run at once, each on its own
                                  // connection (opened when calls first overlap); a call
                                  // waits for a free one beyond it. At least 1.
};

// The schema version this build writes and understands (table esk_schema).
inline constexpr int postgres_schema_version = 1;

// Whether `location` names a PostgreSQL database: it starts with "postgresql://" or
// "postgres://". Never fails.
bool is_postgres_location(const std::string& location);

// Opens the store in the database that `connection_string` names (a libpq URI such as
// postgresql://user:password@host:5432/events, or "key=value" pairs); its tables (esk_events,
// esk_streams, esk_snapshots, esk_checkpoints, ...) live in the connection's first search_path
// schema (choose one with "?options=-csearch_path%3Dmy_schema"), created when missing.
// Several processes and machines may share one database: an append commits only at the
// expected version, whoever else writes. Appends (and a group commit's batch, in one round trip
// and one transaction) take one append lock for the duration of their transaction, so positions
// are gap-free and become visible in position order: a reader of read_all never sees position
// P+1 before P. Durable as the server's synchronous_commit (on by default) makes it.
// Errors: invalid_argument when connections < 1 or libpq cannot parse the connection string
// (a bad percent-encoding, an unknown parameter); store_unavailable when the server cannot be
// reached or refuses the login, and when the tables are missing with !create_if_missing or
// read_only; incompatible_store for a schema of another version. Messages never show a
// password. Connecting gives up after 10 s and idle connections probe the server after 30 s
// (TCP keepalive) unless the string sets connect_timeout / keepalives_*. Text PostgreSQL
// cannot store (a NUL byte, bytes that are not UTF-8, a name over 2600 bytes) makes an append,
// snapshot or checkpoint invalid_argument (an append alone, not its batch); a name holding a
// NUL reads as absent. Blocks while connecting.
result<std::shared_ptr<event_store>> open_postgres_store(const std::string& connection_string,
                                                         const postgres_options& options = {});

}  // namespace esk
