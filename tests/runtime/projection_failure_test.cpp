// A projection whose handler throws affects only itself, as its failure policy says (stop,
// retry with backoff, skip and record); a stopped projection can be restarted; every projection
// reports its state, position and lag; one too slow to keep up is not sent what it lags behind
// (it reads the store when it gets there).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "aggregates/user.hpp"
#include "esk/store/forwarding_store.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::contains;
using testing::failed_with;
using testing::log_capture;
using testing::recording_projection;
using testing::succeeded;

// Records positions; throws at the positions in `failing` (for the first `failures` attempts
// at each, or always when failures is 0).
class flaky_projection : public projection {
 public:
  flaky_projection(std::set<std::uint64_t> failing, int failures = 0)
      : failing_(std::move(failing)), failures_(failures) {}
  std::string name() const override { return "flaky"; }
  void apply(const recorded_event& event) override {
    std::lock_guard<std::mutex> lock{mutex_};
    if (failing_.count(event.position) && (failures_ == 0 || attempts_++ < failures_))
      throw std::runtime_error("the read model said no");
    positions_.push_back(event.position);
  }
  std::vector<std::uint64_t> positions() const {
    std::lock_guard<std::mutex> lock{mutex_};
    return positions_;
  }
  void heal() {
    std::lock_guard<std::mutex> lock{mutex_};
    failing_.clear();
  }

 private:
  mutable std::mutex mutex_;
  std::set<std::uint64_t> failing_;
  int failures_;
  int attempts_ = 0;
  std::vector<std::uint64_t> positions_;
};

class ProjectionFailure : public ::testing::Test {
 protected:
  ProjectionFailure() { users::register_user(rt); }

  void create_users(int count) {
    for (int i = 0; i < count; ++i, ++next_id)
      ASSERT_TRUE(
          succeeded(rt.execute(users::CreateUser{std::to_string(next_id), "U", "u@x.org"})));
  }

  projection_status status_of(const std::string& name) {
    auto statuses = rt.projection_statuses();
    EXPECT_TRUE(succeeded(statuses));
    if (statuses.ok())
      for (const auto& status : *statuses)
        if (status.name == name) return status;
    ADD_FAILURE() << "no status for " << name;
    return {};
  }

  static projection_options with_policy(failure_policy policy) {
    projection_options options;
    options.on_failure = policy;
    return options;
  }

  int next_id = 1;
  log_capture log;
  runtime rt{make_memory_store(), testing::logged_to(log)};
};

TEST_F(ProjectionFailure, StopPolicyStopsOnlyThatProjectionAtTheLastGoodEvent) {
  auto flaky = std::make_shared<flaky_projection>(std::set<std::uint64_t>{2});
  auto healthy = std::make_shared<recording_projection>();
  rt.add_projection(flaky, with_policy(failure_policy::stop()));
  rt.add_projection(healthy);
  create_users(3);

  auto synced = rt.sync_projections();

  ASSERT_TRUE(failed_with(synced, error_kind::handler_failed));
  EXPECT_TRUE(contains(synced.error_value().message, "projection 'flaky' threw at position 2"));
  EXPECT_EQ(flaky->positions(), std::vector<std::uint64_t>{1});
  EXPECT_EQ(healthy->positions(), (std::vector<std::uint64_t>{1, 2, 3}));
  auto stopped = status_of("flaky");
  EXPECT_EQ(stopped.state, projection_state::stopped);
  EXPECT_EQ(stopped.position, 1u);
  EXPECT_EQ(stopped.lag, 2u);
  ASSERT_TRUE(stopped.failure.has_value());
  EXPECT_TRUE(contains(stopped.failure->message, "the read model said no"));
  EXPECT_TRUE(log.has_line_with({"projection 'flaky'", "position 2", "it stops here"}));
}

TEST_F(ProjectionFailure, StoppedProjectionRestartsAtTheEventItFailedAt) {
  auto flaky = std::make_shared<flaky_projection>(std::set<std::uint64_t>{2});
  rt.add_projection(flaky);
  create_users(3);
  ASSERT_TRUE(failed_with(rt.sync_projections(), error_kind::handler_failed));

  flaky->heal();
  ASSERT_TRUE(succeeded(rt.restart_projection("flaky")));

  ASSERT_TRUE(succeeded(rt.sync_projections()));
  EXPECT_EQ(flaky->positions(), (std::vector<std::uint64_t>{1, 2, 3}));
  auto running = status_of("flaky");
  EXPECT_EQ(running.state, projection_state::running);
  EXPECT_EQ(running.position, 3u);
  EXPECT_EQ(running.lag, 0u);
  EXPECT_FALSE(running.failure.has_value());
}

TEST_F(ProjectionFailure, RestartOfAnUnknownProjectionIsInvalid) {
  EXPECT_TRUE(failed_with(rt.restart_projection("nobody"), error_kind::invalid_argument));
}

TEST_F(ProjectionFailure, RetryPolicyAppliesTheEventAgainUntilItSucceeds) {
  auto flaky = std::make_shared<flaky_projection>(std::set<std::uint64_t>{2}, 2);
  rt.add_projection(flaky, with_policy(failure_policy::retry(3, std::chrono::milliseconds(1))));
  create_users(3);

  ASSERT_TRUE(succeeded(rt.sync_projections()));

  EXPECT_EQ(flaky->positions(), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_TRUE(log.has_line_with({"projection 'flaky'", "position 2", "retry 1 of 3"}));
  EXPECT_TRUE(log.has_line_with({"projection 'flaky'", "position 2", "retry 2 of 3"}));
  EXPECT_EQ(status_of("flaky").state, projection_state::running);
}

TEST_F(ProjectionFailure, RetryPolicyStopsTheProjectionOnceItsRetriesAreSpent) {
  auto flaky = std::make_shared<flaky_projection>(std::set<std::uint64_t>{2});
  rt.add_projection(flaky, with_policy(failure_policy::retry(2, std::chrono::milliseconds(1))));
  create_users(3);

  auto synced = rt.sync_projections();

  ASSERT_TRUE(failed_with(synced, error_kind::handler_failed));
  EXPECT_TRUE(contains(synced.error_value().message, "(after 2 retries)"));
  EXPECT_EQ(flaky->positions(), std::vector<std::uint64_t>{1});
  EXPECT_EQ(status_of("flaky").state, projection_state::stopped);
}

TEST_F(ProjectionFailure, SkipPolicyRecordsTheEventAndGoesOn) {
  auto flaky = std::make_shared<flaky_projection>(std::set<std::uint64_t>{2});
  rt.add_projection(flaky, with_policy(failure_policy::skip()));
  create_users(3);

  ASSERT_TRUE(succeeded(rt.sync_projections()));

  EXPECT_EQ(flaky->positions(), (std::vector<std::uint64_t>{1, 3}));
  auto status = status_of("flaky");
  EXPECT_EQ(status.skipped, 1u);
  EXPECT_EQ(status.position, 3u);
  EXPECT_TRUE(log.has_line_with({"projection 'flaky'", "position 2", "skipped"}));
}

TEST(SqliteReadModelFailure, FailedEventLeavesNoRowsAndTheCheckpointAtTheLastGoodEvent) {
  testing::sqlite_backend backend;
  runtime rt{backend.open()};
  users::register_user(rt);
  const std::string path = backend.directory.file("read_model.db");
  typed_projection table("users_table");
  table.on<users::UserCreated>([](const users::UserCreated& created, const event_context& at) {
    at.sql().execute("INSERT INTO users(id) VALUES(?1)", {created.user_id});
    if (created.user_id == "2") throw std::runtime_error("no room for user 2");
  });
  projection_options options;
  options.checkpoints =
      checkpoint_location::in_sqlite(path, "CREATE TABLE IF NOT EXISTS users(id TEXT)");
  rt.add_projection(table, options);
  for (const char* id : {"1", "2", "3"})
    ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{id, "U", "u@x.org"})));

  ASSERT_TRUE(failed_with(rt.sync_projections(), error_kind::handler_failed));

  auto rows = query_sqlite(path, "SELECT id FROM users");
  ASSERT_TRUE(succeeded(rows));
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(std::get<std::string>((*rows)[0][0]), "1");
  auto checkpoint = query_sqlite(path, "SELECT position FROM projection_checkpoints");
  ASSERT_TRUE(succeeded(checkpoint));
  EXPECT_EQ(std::get<std::int64_t>((*checkpoint)[0][0]), 1);
}

// Counts the events that reads of the log return.
class counting_store final : public forwarding_store {
 public:
  using forwarding_store::forwarding_store;
  std::atomic<std::size_t> events_read{0};
  result<std::vector<recorded_event>> read_all(std::uint64_t from_position,
                                               std::size_t limit) override {
    auto page = forwarding_store::read_all(from_position, limit);
    if (page) events_read += page->size();
    return page;
  }
};

// Blocks in its first event until released.
class gated_projection : public recording_projection {
 public:
  std::string name() const override { return "gated"; }
  void apply(const recorded_event& event) override {
    if (event.position == 1) {
      entered.set_value();
      release.get_future().wait();
    }
    recording_projection::apply(event);
  }
  std::promise<void> entered;
  std::promise<void> release;
};

TEST(SlowProjection, ReportsItsLagAndReadsWhatItLagsBehindFromTheStore) {
  auto store = std::make_shared<counting_store>(make_memory_store());
  runtime rt{store};
  users::register_user(rt);
  auto gated = std::make_shared<gated_projection>();
  projection_options options;
  options.max_buffered_events = 10;
  rt.add_projection(gated, options);
  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"0", "U", "u@x.org"})));
  gated->entered.get_future().wait();
  const std::size_t read_before = store->events_read;
  for (int id = 1; id <= 200; ++id)
    ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{std::to_string(id), "U", "u@x.org"})));

  auto behind = rt.projection_statuses();
  gated->release.set_value();
  ASSERT_TRUE(succeeded(rt.sync_projections()));

  ASSERT_TRUE(succeeded(behind));
  EXPECT_EQ((*behind)[0].position, 0u);
  EXPECT_EQ((*behind)[0].lag, 201u);
  EXPECT_EQ(gated->positions().size(), 201u);
  EXPECT_GE(store->events_read - read_before, 190u)
      << "the events it lagged behind were sent to it instead of read from the store";
}

// Applies slowly (20 us an event), after waiting at position 1 until released.
class slow_projection : public gated_projection {
 public:
  void apply(const recorded_event& event) override {
    gated_projection::apply(event);
    std::this_thread::sleep_for(std::chrono::microseconds(20));
  }
};

TEST(SlowProjection, RuntimeDestroyedAmidACatchUpDoesNotWaitForItsEnd) {
  auto store = make_memory_store();
  constexpr std::size_t logged = 100000;  // 2 s of catch-up at 20 us an event
  for (std::size_t written = 0; written < logged; written += 1000) {
    std::vector<new_event> events(1000, new_event{"Noted", "{}", {}});
    ASSERT_TRUE(store->append({"Log-" + std::to_string(written), 0, events}).ok());
  }
  auto slow = std::make_shared<slow_projection>();
  std::thread releasing;
  {
    runtime rt{store};
    rt.add_projection(slow);
    slow->entered.get_future().wait();
    // Released from another thread while this one is in the destructor; whether before or
    // after it tells the projection to stop, seconds of catch-up are left when it does.
    releasing = std::thread([slow] { slow->release.set_value(); });
  }
  releasing.join();

  EXPECT_LT(slow->positions().size(), logged) << "the destructor waited for the whole catch-up";
}

}  // namespace
}  // namespace esk
