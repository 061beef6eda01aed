// Snapshots: an aggregate with a snapshot policy rehydrates from its newest snapshot plus the
// later events, to the same state a full replay gives; a snapshot of another schema version,
// or one that does not decode, is ignored (and counted); writing a snapshot never delays nor
// fails a command.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "esk/esk.hpp"
#include "esk/store/forwarding_store.hpp"
#include "runtime_test_support.hpp"

namespace snapshot_test {

struct AddAmount {
  std::string counter_id;
  int amount = 0;
};
BOOST_DESCRIBE_STRUCT(AddAmount, (), (counter_id, amount))

struct AmountAdded {
  int amount = 0;
};
BOOST_DESCRIBE_STRUCT(AmountAdded, (), (amount))

// Order matters to this state (amounts), so a snapshot applied at the wrong place shows.
struct Counter {
  std::int64_t total = 0;
  std::vector<int> amounts;

  void apply(const AmountAdded& event) {
    total += event.amount;
    amounts.push_back(event.amount);
  }
  esk::decision handle(const AddAmount& command) const {
    return esk::emit(AmountAdded{command.amount});
  }
  bool operator==(const Counter& other) const {
    return total == other.total && amounts == other.amounts;
  }
};
BOOST_DESCRIBE_STRUCT(Counter, (), (total, amounts))

}  // namespace snapshot_test

namespace esk {
namespace {

using snapshot_test::AddAmount;
using snapshot_test::AmountAdded;
using snapshot_test::Counter;
using testing::succeeded;

// Records what rehydration reads, and fails or holds snapshot writes on demand.
class observed_store final : public forwarding_store {
 public:
  using forwarding_store::forwarding_store;

  std::atomic<bool> fail_snapshot_writes{false};
  std::atomic<int> snapshot_writes{0};                           // attempts
  std::optional<std::shared_future<void>> hold_snapshot_writes;  // until this is ready

  result<std::vector<recorded_event>> read_stream(const std::string& stream,
                                                  std::uint64_t from_version,
                                                  std::size_t limit) override {
    auto events = forwarding_store::read_stream(stream, from_version, limit);
    std::lock_guard<std::mutex> lock{mutex_};
    stream_reads_.push_back({from_version, events.ok() ? events->size() : 0});
    return events;
  }

  status write_snapshot(const snapshot& taken) override {
    ++snapshot_writes;
    if (hold_snapshot_writes) hold_snapshot_writes->wait_for(std::chrono::seconds(10));
    if (fail_snapshot_writes) return error{error_kind::store_unavailable, "injected: disk full"};
    return forwarding_store::write_snapshot(taken);
  }

  // Each read_stream call: the version it read from and how many events it got.
  struct stream_read {
    std::uint64_t from_version;
    std::size_t events;
  };
  std::vector<stream_read> stream_reads() const {
    std::lock_guard<std::mutex> lock{mutex_};
    return stream_reads_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<stream_read> stream_reads_;
};

template <class Backend>
class Snapshots : public ::testing::Test {
 protected:
  // A runtime on `store` with Counter registered under `policy`.
  std::unique_ptr<runtime> start(std::shared_ptr<event_store> store, snapshot_policy policy,
                                 runtime_options options = {}) {
    auto rt = std::make_unique<runtime>(std::move(store), options);
    rt->aggregate<Counter>("Counter")
        .event<AmountAdded>("AmountAdded")
        .command<AddAmount>("AddAmount", &AddAmount::counter_id)
        .snapshots(policy);
    return rt;
  }

  // Adds 1, 2, ..., `count` to counter "c" in a runtime that then stops (and so finishes
  // writing its snapshots).
  void add_amounts(int count, snapshot_policy policy) {
    std::unique_ptr<runtime> rt = start(backend.open(), policy);
    for (int amount = 1; amount <= count; ++amount)
      ASSERT_TRUE(succeeded(rt->execute(AddAmount{"c", amount})));
  }

  // Counter "c" as a full replay of its stream rebuilds it.
  Counter replayed() {
    std::unique_ptr<runtime> rt = start(backend.open(), snapshot_policy{});
    auto state = rt->state<Counter>("c");
    EXPECT_TRUE(succeeded(state));
    return state.ok() ? *state : Counter{};
  }

  Backend backend;
};

using backends = ::testing::Types<testing::memory_backend, testing::sqlite_backend>;
TYPED_TEST_SUITE(Snapshots, backends, testing::backend_name);

TYPED_TEST(Snapshots, RehydrationFromASnapshotReadsOnlyTheLaterEventsAndEqualsAFullReplay) {
  this->add_amounts(10, snapshot_policy::every(3));
  auto observed = std::make_shared<observed_store>(this->backend.open());
  std::unique_ptr<runtime> rt = this->start(observed, snapshot_policy::every(3));

  auto state = rt->versioned_state<Counter>("c");

  ASSERT_TRUE(succeeded(state));
  EXPECT_EQ(state->version, 10u);
  EXPECT_EQ(state->state, this->replayed());
  EXPECT_EQ(state->state.total, 55);
  ASSERT_EQ(observed->stream_reads().size(), 1u);
  EXPECT_EQ(observed->stream_reads()[0].from_version, 10u) << "the snapshot is at version 9";
  EXPECT_EQ(observed->stream_reads()[0].events, 1u);
  EXPECT_EQ(rt->snapshot_stats().loaded, 1u);
}

TYPED_TEST(Snapshots, CommandsAfterRehydratingFromASnapshotContinueTheStream) {
  this->add_amounts(4, snapshot_policy::every(3));
  {
    std::unique_ptr<runtime> rt = this->start(this->backend.open(), snapshot_policy::every(3));
    ASSERT_TRUE(succeeded(rt->execute(AddAmount{"c", 5})));
    ASSERT_TRUE(succeeded(rt->execute(AddAmount{"c", 6})));
  }

  std::unique_ptr<runtime> rt = this->start(this->backend.open(), snapshot_policy::every(3));
  auto state = rt->versioned_state<Counter>("c");

  ASSERT_TRUE(succeeded(state));
  EXPECT_EQ(state->version, 6u);
  EXPECT_EQ(state->state, this->replayed());
  EXPECT_EQ(state->state.amounts, (std::vector<int>{1, 2, 3, 4, 5, 6}));
  auto kept = this->backend.open()->read_snapshot("Counter-c");
  ASSERT_TRUE(succeeded(kept));
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ((*kept)->version, 6u);
}

TYPED_TEST(Snapshots, SnapshotOfAnotherSchemaVersionIsIgnoredCountedAndLoggedOnce) {
  this->add_amounts(10, snapshot_policy::every(3).schema(1));
  auto observed = std::make_shared<observed_store>(this->backend.open());
  testing::log_capture log;
  std::unique_ptr<runtime> rt =
      this->start(observed, snapshot_policy::every(3).schema(2), testing::logged_to(log));

  auto state = rt->state<Counter>("c");

  ASSERT_TRUE(succeeded(state));
  EXPECT_EQ(*state, this->replayed());
  ASSERT_EQ(observed->stream_reads().size(), 1u);
  EXPECT_EQ(observed->stream_reads()[0].from_version, 1u);
  EXPECT_EQ(rt->snapshot_stats().ignored_other_schema, 1u);
  EXPECT_EQ(rt->snapshot_stats().loaded, 0u);
  EXPECT_TRUE(log.has_line_with({"Counter c", "schema version 1", "is 2"}));
}

TYPED_TEST(Snapshots, SnapshotThatDoesNotDecodeAsTheStateIsIgnoredAndCounted) {
  this->add_amounts(5, snapshot_policy{});
  ASSERT_TRUE(succeeded(this->backend.open()->write_snapshot(
      {"Counter-c", 4, 1, R"({"total":"ten"})", "2026-11-25T17:07:34.123Z"})));
  testing::log_capture log;
  std::unique_ptr<runtime> rt =
      this->start(this->backend.open(), snapshot_policy::every(3), testing::logged_to(log));

  auto state = rt->state<Counter>("c");

  ASSERT_TRUE(succeeded(state));
  EXPECT_EQ(*state, this->replayed());
  EXPECT_EQ(rt->snapshot_stats().ignored_unreadable, 1u);
  EXPECT_TRUE(log.has_line_with({"Counter c", "does not decode", "total"}));
}

TYPED_TEST(Snapshots, FailedSnapshotWriteIsLoggedAndNeverFailsTheCommand) {
  auto observed = std::make_shared<observed_store>(this->backend.open());
  observed->fail_snapshot_writes = true;
  testing::log_capture log;
  {
    std::unique_ptr<runtime> rt =
        this->start(observed, snapshot_policy::every(2), testing::logged_to(log));
    for (int amount = 1; amount <= 4; ++amount)
      ASSERT_TRUE(succeeded(rt->execute(AddAmount{"c", amount})));
    auto state = rt->state<Counter>("c");
    ASSERT_TRUE(succeeded(state));
    EXPECT_EQ(state->total, 10);
  }  // stopping waits for the snapshot writes

  EXPECT_GE(observed->snapshot_writes.load(), 1);
  EXPECT_TRUE(log.has_line_with({"snapshot of Counter-c", "not written", "disk full"}));
  auto kept = this->backend.open()->read_snapshot("Counter-c");
  ASSERT_TRUE(succeeded(kept));
  EXPECT_FALSE(kept->has_value());
}

TYPED_TEST(Snapshots, CommandIsAcknowledgedWhileItsSnapshotIsStillBeingWritten) {
  auto observed = std::make_shared<observed_store>(this->backend.open());
  std::promise<void> release;
  observed->hold_snapshot_writes = release.get_future().share();
  runtime_options options;
  options.blocking_timeout = std::chrono::seconds(5);
  std::unique_ptr<runtime> rt = this->start(observed, snapshot_policy::every(1), options);

  auto first = rt->execute(AddAmount{"c", 1});   // its snapshot is held in the store
  auto second = rt->execute(AddAmount{"c", 2});  // so is the next one, queued behind it

  EXPECT_TRUE(succeeded(first));
  EXPECT_TRUE(succeeded(second));
  release.set_value();
  rt.reset();
  EXPECT_GE(observed->snapshot_writes.load(), 1);
}

TEST(SnapshotPolicy, PayloadBytesMakeASnapshotDueToo) {
  auto policy = snapshot_policy::every_bytes(100);

  EXPECT_TRUE(policy.enabled());
  EXPECT_FALSE(policy.due(50, 99));
  EXPECT_TRUE(policy.due(1, 100));
  EXPECT_FALSE(snapshot_policy{}.enabled());
  EXPECT_EQ(snapshot_policy::every(10).schema(3).schema_version(), 3);
}

}  // namespace
}  // namespace esk
