// The opt-in conflict retry policy (runtime_options::conflict_retries), in one process: two
// runtimes share one store, so each one's cached aggregate goes stale when the other writes.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "esk/store/forwarding_store.hpp"
#include "ledger.hpp"

namespace esk::reliability {
namespace {

runtime_options with_retries(std::size_t retries) {
  runtime_options options;
  options.worker_threads = 2;
  options.conflict_retries = retries;
  return options;
}

// A store where another writer slips in before each of the next `races` appends: it first
// appends a competing Deposited of 1000 at the expected version, so the real append conflicts.
class racing_store final : public forwarding_store {
 public:
  racing_store(std::shared_ptr<event_store> inner, int races)
      : forwarding_store(std::move(inner)), races_left_(races) {}

  std::vector<result<std::vector<recorded_event>>> append_batch(
      const std::vector<append_request>& requests) override {
    for (const auto& request : requests) {
      if (races_left_.fetch_sub(1) <= 0) break;
      append_request competitor{request.stream,
                                request.expected_version,
                                {{"Deposited",
                                  R"({"account_id":"x","amount":1000})",
                                  {"competitor-event", "competitor", "", "", "now"}}}};
      EXPECT_TRUE(inner().append(competitor));
    }
    return forwarding_store::append_batch(requests);
  }

 private:
  std::atomic<int> races_left_;
};

TEST(ConflictRetry, WithoutRetriesAStaleWriterGetsConflictAndWritesNothing) {
  auto store = make_memory_store();
  runtime first{store, with_retries(0)};
  runtime second{store, with_retries(0)};
  register_account(first);
  register_account(second);
  ASSERT_TRUE(first.execute(Deposit{"a1", 5}));   // first caches version 1
  ASSERT_TRUE(second.execute(Deposit{"a1", 7}));  // second moves the stream to version 2

  auto stale = first.execute(Deposit{"a1", 11});

  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.kind(), error_kind::conflict);
  EXPECT_NE(stale.error_value().message.find("Account a1: Deposit"), std::string::npos)
      << stale.error_value().message;
  EXPECT_EQ(*store->stream_version("Account-a1"), 2u);
  // The conflict dropped the stale state: the next command rehydrates and succeeds.
  ASSERT_TRUE(first.execute(Deposit{"a1", 11}));
  EXPECT_EQ(first.state<Account>("a1")->balance, 23);
}

TEST(ConflictRetry, WithRetriesAStaleWriterRereadsAndSucceeds) {
  auto store = make_memory_store();
  runtime first{store, with_retries(1)};
  runtime second{store, with_retries(0)};
  register_account(first);
  register_account(second);
  ASSERT_TRUE(first.execute(Deposit{"a1", 5}));
  ASSERT_TRUE(second.execute(Deposit{"a1", 7}));

  auto retried = first.execute(Deposit{"a1", 11});

  ASSERT_TRUE(retried) << retried.error_value();
  EXPECT_EQ(retried->front().version, 3u);
  EXPECT_EQ(first.state<Account>("a1")->balance, 23);
}

TEST(ConflictRetry, ARetryDecidesAgainOnTheFreshState) {
  auto store = make_memory_store();
  runtime first{store, with_retries(3)};
  runtime second{store, with_retries(0)};
  register_account(first);
  register_account(second);
  ASSERT_TRUE(first.execute(Deposit{"a1", 10}));    // first sees balance 10
  ASSERT_TRUE(second.execute(Withdraw{"a1", 10}));  // the money is gone

  auto overdrawn = first.execute(Withdraw{"a1", 5});  // stale: would pass on balance 10

  ASSERT_FALSE(overdrawn);
  EXPECT_EQ(overdrawn.kind(), error_kind::rejected);
  EXPECT_NE(overdrawn.error_value().message.find("insufficient funds: balance 0"),
            std::string::npos)
      << overdrawn.error_value().message;
  EXPECT_EQ(*store->stream_version("Account-a1"), 2u);
}

TEST(ConflictRetry, RetriesAreBoundedThenTheCommandFailsWithConflict) {
  auto inner = make_memory_store();
  runtime rt{std::make_shared<racing_store>(inner, 3), with_retries(2)};
  register_account(rt);

  auto lost = rt.execute(Deposit{"a1", 5});  // three races, but only two retries

  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.kind(), error_kind::conflict);
  EXPECT_EQ(*inner->stream_version("Account-a1"), 3u) << "only the competitors' events";
  // The runtime still serves the aggregate; the racer has given up by now.
  ASSERT_TRUE(rt.execute(Deposit{"a1", 5}));
  EXPECT_EQ(rt.state<Account>("a1")->balance, 3005);
}

TEST(ConflictRetry, RetriesWithinTheBoundSucceed) {
  auto inner = make_memory_store();
  runtime rt{std::make_shared<racing_store>(inner, 2), with_retries(2)};
  register_account(rt);

  auto accepted = rt.execute(Deposit{"a1", 5});

  ASSERT_TRUE(accepted) << accepted.error_value();
  EXPECT_EQ(accepted->front().version, 3u);
  EXPECT_EQ(rt.state<Account>("a1")->balance, 2005);
}

}  // namespace
}  // namespace esk::reliability
