// Many threads sending commands at once: 8 threads x 1,000 deposits over 100 accounts, through
// the asynchronous API. Afterwards the log must be exactly what was acknowledged.
#include <gtest/gtest.h>

#include <cstdint>
#include <esk/esk.hpp>
#include <future>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::succeeded;

// A test-only aggregate: an account that sums its deposits.
struct Deposited {
  std::string account_id;
  std::int64_t amount = 0;
};
BOOST_DESCRIBE_STRUCT(Deposited, (), (account_id, amount))

struct Deposit {
  std::string account_id;
  std::int64_t amount = 0;
};
BOOST_DESCRIBE_STRUCT(Deposit, (), (account_id, amount))

struct Account {
  std::int64_t balance = 0;
  std::int64_t deposits = 0;
  void apply(const Deposited& event) {
    balance += event.amount;
    ++deposits;
  }
  decision handle(const Deposit& command) const {
    if (command.amount <= 0) return reject("a deposit must be positive");
    return emit(Deposited{command.account_id, command.amount});
  }
};

constexpr int sender_threads = 8;
constexpr int commands_per_thread = 1000;
constexpr int accounts = 100;

std::string account_of(int thread, int index) {
  return "a" + std::to_string((thread * commands_per_thread + index) % accounts);
}

// One command that the runtime acknowledged, and what it answered.
struct acknowledged_deposit {
  std::string command_id;
  std::string account_id;
  std::int64_t amount;
  std::vector<recorded_event> recorded;
};

// The workload, run once per backend and shared by the tests that inspect its outcome.
template <class Backend>
struct deposit_run {
  deposit_run() {
    rt.aggregate<Account>("Account")
        .event<Deposited>("Deposited")
        .command<Deposit>("Deposit", &Deposit::account_id);
    std::vector<std::future<std::vector<acknowledged_deposit>>> senders;
    for (int thread = 0; thread < sender_threads; ++thread)
      senders.push_back(std::async(std::launch::async, [this, thread] { return send(thread); }));
    for (auto& sender : senders)
      for (auto& deposit : sender.get()) acknowledged.push_back(std::move(deposit));
  }

  // Submits this thread's commands without waiting, then collects every outcome.
  std::vector<acknowledged_deposit> send(int thread) {
    std::vector<acknowledged_deposit> sent;
    std::vector<std::future<command_result>> outcomes;
    for (int index = 0; index < commands_per_thread; ++index) {
      std::string command_id = "t" + std::to_string(thread) + "-" + std::to_string(index);
      std::int64_t amount = 1 + (thread * 7 + index) % 13;
      std::string account = account_of(thread, index);
      outcomes.push_back(rt.submit(Deposit{account, amount}, {command_id, "", ""}));
      sent.push_back({std::move(command_id), std::move(account), amount, {}});
    }
    std::vector<acknowledged_deposit> acknowledged_here;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      auto outcome = outcomes[i].get();
      if (!outcome.ok()) continue;
      sent[i].recorded = std::move(*outcome);
      acknowledged_here.push_back(std::move(sent[i]));
    }
    return acknowledged_here;
  }

  Backend backend;
  runtime rt{backend.open()};
  std::vector<acknowledged_deposit> acknowledged;
};

template <class Backend>
class ConcurrentDeposits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { run = std::make_unique<deposit_run<Backend>>(); }
  static void TearDownTestSuite() { run.reset(); }

  static std::vector<recorded_event> read_log() {
    auto log = run->rt.store().read_all(1, SIZE_MAX);  // all 8000+ events, not one page
    EXPECT_TRUE(succeeded(log));
    return log.ok() ? *log : std::vector<recorded_event>{};
  }

  static inline std::unique_ptr<deposit_run<Backend>> run;
};

using Backends = ::testing::Types<testing::memory_backend, testing::sqlite_backend>;
TYPED_TEST_SUITE(ConcurrentDeposits, Backends, testing::backend_name);

TYPED_TEST(ConcurrentDeposits, EveryCommandIsAcknowledged) {
  EXPECT_EQ(this->run->acknowledged.size(),
            static_cast<std::size_t>(sender_threads * commands_per_thread));
}

TYPED_TEST(ConcurrentDeposits, EveryStreamsVersionsAreGapFree) {
  std::map<std::string, std::uint64_t> acknowledged_per_stream;
  for (const auto& deposit : this->run->acknowledged)
    ++acknowledged_per_stream[stream_name("Account", deposit.account_id)];

  auto streams = this->run->rt.store().list_streams();

  ASSERT_TRUE(succeeded(streams));
  ASSERT_EQ(streams->size(), static_cast<std::size_t>(accounts));
  for (const auto& info : *streams) {
    auto events = this->run->rt.store().read_stream(info.stream);
    ASSERT_TRUE(succeeded(events));
    ASSERT_EQ(events->size(), acknowledged_per_stream[info.stream]) << info.stream;
    for (std::size_t i = 0; i < events->size(); ++i)
      ASSERT_EQ((*events)[i].version, i + 1) << info.stream;
    EXPECT_EQ(info.version, events->size()) << info.stream;
  }
}

TYPED_TEST(ConcurrentDeposits, PositionsStrictlyIncreaseOverTheLog) {
  auto log = this->read_log();

  ASSERT_EQ(log.size(), this->run->acknowledged.size());
  for (std::size_t i = 1; i < log.size(); ++i)
    ASSERT_LT(log[i - 1].position, log[i].position) << "at index " << i;
}

TYPED_TEST(ConcurrentDeposits, EveryAcknowledgedCommandsEventIsInTheStore) {
  std::map<std::string, recorded_event> stored_by_command;
  for (auto& event : this->read_log()) stored_by_command.emplace(event.metadata.command_id, event);

  for (const auto& deposit : this->run->acknowledged) {
    auto stored = stored_by_command.find(deposit.command_id);
    ASSERT_NE(stored, stored_by_command.end()) << deposit.command_id << " is not in the store";
    const auto& event = stored->second;
    EXPECT_EQ(event.stream, stream_name("Account", deposit.account_id));
    ASSERT_EQ(deposit.recorded.size(), 1u);
    EXPECT_EQ(event.position, deposit.recorded.front().position);
    EXPECT_EQ(event.version, deposit.recorded.front().version);
    auto payload =
        decode_payload_text<Deposited>(event.payload, event.type, unknown_fields::reject);
    ASSERT_TRUE(succeeded(payload));
    EXPECT_EQ(payload->amount, deposit.amount);
  }
}

TYPED_TEST(ConcurrentDeposits, NoDepositIsLost) {
  std::map<std::string, std::int64_t> expected_balance;
  std::map<std::string, std::int64_t> expected_deposits;
  for (const auto& deposit : this->run->acknowledged) {
    expected_balance[deposit.account_id] += deposit.amount;
    ++expected_deposits[deposit.account_id];
  }

  for (int i = 0; i < accounts; ++i) {
    const std::string id = "a" + std::to_string(i);
    auto account = this->run->rt.template state<Account>(id);
    ASSERT_TRUE(succeeded(account)) << id;
    EXPECT_EQ(account->balance, expected_balance[id]) << id;
    EXPECT_EQ(account->deposits, expected_deposits[id]) << id;
  }
}

}  // namespace
}  // namespace esk
