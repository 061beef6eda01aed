// Crash safety: a writer process is SIGKILLed at a random moment, 20 times over, on one
// SQLite store file. Nothing it saw acknowledged may be lost, and nothing may be half-written.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <thread>

#include "../store/temporary_directory.hpp"
#include "child_process.hpp"
#include "ledger.hpp"
#include "store_audit.hpp"

namespace esk::reliability {
namespace {

constexpr int crash_rounds = 20;

// ESK_CRASH_SEED=<n> replays a run; otherwise a fresh seed, printed so a failure can be replayed.
std::uint64_t crash_seed() {
  if (const char* fixed = std::getenv("ESK_CRASH_SEED")) return std::stoull(fixed);
  return std::random_device{}();
}

std::uintmax_t file_size_or_zero(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? static_cast<std::uintmax_t>(info.st_size) : 0;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Kills the writer at a random moment. Even rounds wait until it has acknowledged something
// (so the kill lands amid group commits); odd rounds may kill it while it is still starting
// up, opening or creating the store.
void kill_at_random_moment(child_process& writer, const std::string& ack_path, int round,
                           std::mt19937_64& random) {
  const auto started = std::chrono::steady_clock::now();
  if (round % 2 == 0) {
    while (file_size_or_zero(ack_path) == 0 && writer.running() &&
           std::chrono::steady_clock::now() - started < std::chrono::seconds(20))
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::uniform_int_distribution<int> delay_ms(0, round % 2 == 0 ? 150 : 250);
  std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
  writer.kill_hard();
}

TEST(CrashRecovery, AcknowledgedCommandsSurviveSigkillAndNothingIsHalfWritten) {
  const std::uint64_t seed = crash_seed();
  std::cout << "crash test seed: " << seed << " (replay with ESK_CRASH_SEED=" << seed << ")\n";
  RecordProperty("crash_seed", std::to_string(seed));
  std::mt19937_64 random(seed);
  testing::temporary_directory directory;
  const std::string db = directory.file("crash.db");
  std::size_t acknowledged_total = 0;

  for (int round = 0; round < crash_rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + ", seed " + std::to_string(seed));
    const std::string ack_path = directory.file("acks-" + std::to_string(round) + ".txt");
    {
      child_process writer(ESK_RELIABILITY_WRITER,
                           {"crash", db, ack_path, "r" + std::to_string(round)});
      kill_at_random_moment(writer, ack_path, round, random);
      const int status = writer.wait();
      ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
          << "the writer was not killed but " << describe_wait_status(status);
    }
    const auto acknowledged = complete_lines(ack_path);
    acknowledged_total += acknowledged.size();

    auto store = open_sqlite_store(db);
    ASSERT_TRUE(store) << "store does not open after the kill: " << store.error_value();
    const store_audit audit = audit_store(**store);
    for (const auto& problem : audit.problems) ADD_FAILURE() << problem;

    // Every acknowledged command is there, whole.
    for (const auto& command_id : acknowledged) {
      auto found = audit.commands.find(command_id);
      ASSERT_NE(found, audit.commands.end()) << "acknowledged command " << command_id << " lost";
    }
    // No command is half-applied: a DepositTwice has both its events or none, in one stream,
    // at consecutive versions; every other command has exactly one.
    for (const auto& [command_id, footprint] : audit.commands) {
      const std::size_t expected = ends_with(command_id, "-pair") ? 2 : 1;
      ASSERT_EQ(footprint.versions.size(), expected) << "command " << command_id;
      ASSERT_TRUE(footprint.one_stream) << "command " << command_id;
      if (expected == 2) {
        ASSERT_EQ(footprint.versions[1], footprint.versions[0] + 1) << "command " << command_id;
      }
    }

    // The runtime takes new commands on the same file, and rehydrates what was written.
    {
      runtime rt{*store, runtime_options{2}};
      register_account(rt);
      command_options ids;
      ids.command_id = "after-crash-" + std::to_string(round);
      auto accepted = rt.execute(Deposit{"acct-1", 1}, ids);
      ASSERT_TRUE(accepted) << accepted.error_value();
      auto account = rt.state<Account>("acct-1");
      ASSERT_TRUE(account) << account.error_value();
      auto logged = audit.balances.find("Account-acct-1");
      const std::int64_t before = logged == audit.balances.end() ? 0 : logged->second;
      EXPECT_EQ(account->balance, before + 1) << "rehydrated state disagrees with the log";
    }
  }
  std::cout << "crash test: " << acknowledged_total << " commands acknowledged over "
            << crash_rounds << " kills\n";
  EXPECT_GT(acknowledged_total, 0u) << "the writer never got a command acknowledged";
}

}  // namespace
}  // namespace esk::reliability
