// Two processes, two runtimes, one SQLite file, the same three accounts: optimistic
// concurrency must let exactly one writer win each version, and lose no acknowledged update.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "../store/temporary_directory.hpp"
#include "child_process.hpp"
#include "ledger.hpp"
#include "store_audit.hpp"

namespace esk::reliability {
namespace {

constexpr int commands_per_writer = 300;

struct sent_command {
  std::string account;
  std::int64_t amount = 0;
  std::string outcome;  // "ok" or an error kind
};

struct race_result {
  std::map<std::string, sent_command> commands;  // by command ID, both writers
  store_audit audit;
  std::map<std::string, std::int64_t> state_balances;  // by account, from a fresh runtime
  std::size_t conflicts = 0;
};

// Runs writers "a" and "b" at once on a fresh store and gathers what they saw and what the
// store holds afterwards.
race_result race_two_writers(std::size_t conflict_retries) {
  testing::temporary_directory directory;
  const std::string db = directory.file("shared.db");
  // Create the store first, so neither writer races the other through schema creation.
  { EXPECT_TRUE(open_sqlite_store(db)); }
  const std::string go = directory.file("go");
  std::vector<std::string> names{"a", "b"};
  std::vector<std::unique_ptr<child_process>> writers;
  for (const auto& name : names)
    writers.push_back(std::make_unique<child_process>(
        ESK_RELIABILITY_WRITER,
        std::vector<std::string>{
            "contend", db, directory.file(name + ".out"), directory.file(name + ".ready"), go, name,
            std::to_string(commands_per_writer), std::to_string(conflict_retries)}));
  // Two barriers (see writer_main.cpp): start together, then continue together once each
  // writer has written to every account once.
  for (const std::string suffix : {"", ".2"}) {
    const auto started = std::chrono::steady_clock::now();
    for (const auto& name : names)
      while (::access(directory.file(name + ".ready" + suffix).c_str(), F_OK) != 0 &&
             std::chrono::steady_clock::now() - started < std::chrono::seconds(30))
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::ofstream{go + suffix} << "go\n";
  }
  for (auto& writer : writers) {
    const int status = writer->wait();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "writer " << describe_wait_status(status);
  }

  race_result race;
  for (const auto& name : names) {
    for (const auto& line : complete_lines(directory.file(name + ".out"))) {
      std::istringstream fields(line);
      std::string id;
      sent_command command;
      fields >> id >> command.account >> command.amount >> command.outcome;
      if (command.outcome == "conflict") ++race.conflicts;
      race.commands.emplace(id, command);
    }
  }
  auto store = open_sqlite_store(db);
  EXPECT_TRUE(store) << store.error_value();
  if (!store) return race;
  race.audit = audit_store(**store);
  runtime rt{*store, runtime_options{2}};
  register_account(rt);
  for (int account = 0; account < 3; ++account) {
    const std::string id = "acct-" + std::to_string(account);
    auto state = rt.state<Account>(id);
    EXPECT_TRUE(state) << state.error_value();
    if (state) race.state_balances[id] = state->balance;
  }
  return race;
}

// What both tests demand: each version of each stream holds the events of exactly one command,
// that command was acknowledged, every other command failed with conflict and wrote nothing,
// and each account's state equals the sum of its acknowledged deposits.
void expect_one_winner_per_version_and_no_lost_update(const race_result& race) {
  ASSERT_EQ(race.commands.size(), 2u * commands_per_writer) << "a writer lost outcomes";
  for (const auto& problem : race.audit.problems) ADD_FAILURE() << problem;
  std::map<std::string, std::int64_t> acknowledged_sums;
  for (const auto& [id, command] : race.commands) {
    auto footprint = race.audit.commands.find(id);
    if (command.outcome == "ok") {
      acknowledged_sums[command.account] += command.amount;
      ASSERT_NE(footprint, race.audit.commands.end()) << "acknowledged " << id << " is lost";
      EXPECT_EQ(footprint->second.versions.size(), 1u) << id;
      EXPECT_EQ(footprint->second.stream, "Account-" + command.account) << id;
    } else {
      EXPECT_EQ(command.outcome, "conflict") << id << " failed for another reason";
      EXPECT_EQ(footprint, race.audit.commands.end()) << "failed " << id << " left events";
    }
  }
  EXPECT_EQ(race.audit.commands.size(), race.audit.event_count)
      << "some version holds events of more than one command";
  for (const auto& [account, sum] : acknowledged_sums) {
    EXPECT_EQ(race.audit.balances.at("Account-" + account), sum) << account << " in the log";
    EXPECT_EQ(race.state_balances.at(account), sum) << account << " state";
  }
}

TEST(TwoWriters, ExactlyOneWinsEachVersionAndTheLoserGetsConflict) {
  const race_result race = race_two_writers(0);
  expect_one_winner_per_version_and_no_lost_update(race);
  std::cout << "two writers, no retry: " << race.conflicts << " of " << race.commands.size()
            << " commands lost a race (conflict)\n";
  // Each writer wrote every account once before the second barrier, so for each account one
  // of them held a stale copy afterwards: without retries at least three commands must lose.
  EXPECT_GE(race.conflicts, 3u) << "the writers never raced: the test proved nothing";
}

TEST(TwoWriters, WithConflictRetriesNoUpdateIsLost) {
  constexpr std::size_t retries = 32;
  const race_result race = race_two_writers(retries);
  expect_one_winner_per_version_and_no_lost_update(race);
  std::cout << "two writers, " << retries << " retries: " << race.conflicts << " of "
            << race.commands.size() << " commands still failed with conflict\n";
  EXPECT_EQ(race.conflicts, 0u) << "the retry policy gave up on some commands";
}

}  // namespace
}  // namespace esk::reliability
