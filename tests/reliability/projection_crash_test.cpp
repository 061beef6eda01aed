// Crash safety of a SQLite read model: a process projecting into it is SIGKILLed while it
// catches up on a long log and while it follows live commits, again and again. After each
// restart it resumes at its checkpoint; in the end the read model equals one built from scratch
// and no event was applied twice (its applied table refuses a second row per position, which
// would stop the projection).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../store/temporary_directory.hpp"
#include "balances_read_model.hpp"
#include "child_process.hpp"

namespace esk::reliability {
namespace {

constexpr int accounts = 13;
constexpr int logged_deposits = 50000;

std::shared_ptr<event_store> open_store(const std::string& path) {
  auto store = open_sqlite_store(path);
  if (!store) throw std::runtime_error(store.error_value().message);
  return *store;
}

// Appends `count` Deposited events spread over the accounts, 1,000 per transaction.
void log_deposits(event_store& store, int count) {
  std::vector<std::uint64_t> versions(accounts, 0);
  std::vector<append_request> batch;
  for (int i = 0; i < count; ++i) {
    const int account = i % accounts;
    const std::string id = "acct-" + std::to_string(account);
    new_event deposited{
        "Deposited",
        R"({"account_id":")" + id + R"(","amount":)" + std::to_string(i % 50 + 1) + "}",
        {"event-" + std::to_string(i), "", "", "", "2026-11-25T17:07:34.123Z"}};
    batch.push_back({"Account-" + id, versions[account]++, {deposited}});
    if (batch.size() == 1000 || i + 1 == count) {
      for (const auto& outcome : store.append_batch(batch))
        ASSERT_TRUE(outcome.ok()) << outcome.error_value().message;
      batch.clear();
    }
  }
}

std::vector<sql_row> rows_of(const std::string& path, const std::string& sql) {
  auto rows = query_sqlite(path, sql);
  EXPECT_TRUE(rows.ok()) << rows.error_value().message;
  return rows.ok() ? *rows : std::vector<sql_row>{};
}

std::int64_t single_integer(const std::string& path, const std::string& sql) {
  auto rows = rows_of(path, sql);
  return rows.empty() ? -1 : std::get<std::int64_t>(rows[0][0]);
}

std::uint64_t crash_seed() {
  if (const char* fixed = std::getenv("ESK_CRASH_SEED")) return std::stoull(fixed);
  return std::random_device{}();
}

TEST(ProjectionCrash, SigkillDuringCatchUpAndLiveLeavesTheReadModelAsBuiltFromScratch) {
  const std::uint64_t seed = crash_seed();
  std::cout << "projection crash seed: " << seed << " (replay with ESK_CRASH_SEED=" << seed
            << ")\n";
  std::mt19937_64 random(seed);
  testing::temporary_directory directory;
  const std::string db = directory.file("events.db");
  const std::string read_model = directory.file("balances.db");
  log_deposits(*open_store(db), logged_deposits);

  std::int64_t last_checkpoint = 0;
  int killed_amid_catch_up = 0;
  auto watcher = open_store(db);  // sees what the projecting processes commit
  for (int round = 0; round < 10; ++round) {
    const bool live = round >= 5;  // the first rounds catch up on the log, the later ones follow
    SCOPED_TRACE(std::string(live ? "live" : "catch-up") + " round " + std::to_string(round) +
                 ", seed " + std::to_string(seed));
    {
      child_process projecting(ESK_RELIABILITY_WRITER,
                               {"project", db, read_model, live ? "live" : "catch-up"});
      if (live) {
        // A live life is killed only once it has committed a deposit: starting up and catching
        // up can take longer than the delay below (seen under TSan). Bounded: 30 s.
        const std::uint64_t before = *watcher->last_position();
        for (int polls = 0; polls < 3000 && *watcher->last_position() <= before; ++polls)
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      // Catching up on the log takes a few hundred ms in all: short lives end inside it.
      std::uniform_int_distribution<int> delay_ms(live ? 100 : 10, live ? 300 : 100);
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
      ASSERT_TRUE(projecting.running()) << "the projecting process ended early";
      projecting.kill_hard();
      const int status = projecting.wait();
      ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
          << "not killed but " << describe_wait_status(status);
    }
    // Killed before the read model's file, or its tables, were created (a kill within the
    // first milliseconds): nothing to check yet.
    if (!std::filesystem::exists(read_model) ||
        single_integer(
            read_model,
            "SELECT count(*) FROM sqlite_master WHERE name = 'projection_checkpoints'") == 0)
      continue;
    const std::int64_t checkpoint =
        single_integer(read_model, "SELECT coalesce(max(position), 0) FROM projection_checkpoints");
    EXPECT_GE(checkpoint, last_checkpoint) << "the checkpoint went back";
    EXPECT_EQ(single_integer(read_model, "SELECT count(*) FROM applied"), checkpoint)
        << "the rows and the checkpoint disagree";
    if (!live && checkpoint > 0 && checkpoint < logged_deposits) ++killed_amid_catch_up;
    last_checkpoint = checkpoint;
  }
  EXPECT_GT(killed_amid_catch_up, 0) << "no kill landed amid the catch-up";

  runtime rt{open_store(db)};
  register_account(rt);
  add_balances_projection(rt, "balances", read_model);
  const std::string scratch = directory.file("scratch.db");
  add_balances_projection(rt, "balances_from_scratch", scratch);
  ASSERT_TRUE(rt.sync_projections().ok()) << "an event was applied twice, or the projection failed";

  const std::int64_t logged = static_cast<std::int64_t>(*rt.store().last_position());
  EXPECT_GT(logged, logged_deposits) << "no live round committed anything";
  EXPECT_EQ(single_integer(read_model, "SELECT count(*) FROM applied"), logged);
  const std::string balances = "SELECT account_id, balance FROM balances ORDER BY account_id";
  EXPECT_EQ(rows_of(read_model, balances), rows_of(scratch, balances));
  EXPECT_EQ(rows_of(scratch, balances).size(), static_cast<std::size_t>(accounts));
}

}  // namespace
}  // namespace esk::reliability
