// Rehydration reads the store on threads of its own: a long read does not stall aggregates that
// are already live, and at most max_concurrent_rehydrations reads run at once.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aggregates/user.hpp"
#include "esk/store/forwarding_store.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::succeeded;

// How long a test waits for something that must happen before it gives up and fails (instead
// of hanging), or for something that must not happen before it believes it will not.
constexpr auto must_happen_within = std::chrono::seconds(30);
constexpr auto must_not_happen_within = std::chrono::milliseconds(200);

// Holds the stream reads the test chooses inside read_stream until release(), and counts the
// reads in progress.
class held_reads_store final : public forwarding_store {
 public:
  held_reads_store(std::shared_ptr<event_store> inner,
                   std::function<bool(const std::string&)> holds)
      : forwarding_store(std::move(inner)), holds_(std::move(holds)) {}

  void release() {
    std::lock_guard<std::mutex> lock{mutex_};
    released_ = true;
    changed_.notify_all();
  }

  // Waits up to `timeout` until `predicate(reads in progress)` holds; returns whether it did.
  template <class Predicate>
  bool wait_for_reads(std::chrono::milliseconds timeout, Predicate predicate) {
    std::unique_lock<std::mutex> lock{mutex_};
    return changed_.wait_for(lock, timeout, [&] { return predicate(inside_); });
  }

  std::size_t most_reads_at_once() {
    std::lock_guard<std::mutex> lock{mutex_};
    return peak_;
  }

  result<std::vector<recorded_event>> read_stream(const std::string& stream,
                                                  std::uint64_t from_version,
                                                  std::size_t limit) override {
    if (holds_(stream)) {
      std::unique_lock<std::mutex> lock{mutex_};
      ++inside_;
      peak_ = std::max(peak_, inside_);
      changed_.notify_all();
      changed_.wait(lock, [this] { return released_; });
      --inside_;
    }
    return forwarding_store::read_stream(stream, from_version, limit);
  }

 private:
  std::function<bool(const std::string&)> holds_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool released_ = false;
  std::size_t inside_ = 0;
  std::size_t peak_ = 0;
};

TEST(Rehydration, ALongStreamReadDoesNotStallAggregatesThatAreLive) {
  auto store = std::make_shared<held_reads_store>(
      make_memory_store(), [](const std::string& stream) { return stream == "User-slow"; });
  runtime_options options;
  options.worker_threads = 1;  // one scheduler thread: a read on it would stall everything
  runtime rt{store, options};
  users::register_user(rt);
  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"live", "Ada", "ada@x.org"})));
  auto slow = rt.submit(users::CreateUser{"slow", "Bob", "bob@x.org"});
  const bool slow_reading =
      store->wait_for_reads(must_happen_within, [](std::size_t in) { return in == 1; });

  auto live = rt.submit(users::ChangeEmail{"live", "lovelace@x.org"});
  const bool answered_meanwhile = live.wait_for(must_happen_within) == std::future_status::ready;
  store->release();

  EXPECT_TRUE(slow_reading);
  EXPECT_TRUE(answered_meanwhile);
  EXPECT_TRUE(succeeded(live.get()));
  EXPECT_TRUE(succeeded(slow.get()));
}

TEST(Rehydration, AtMostMaxConcurrentRehydrationsReadTheStoreAtOnce) {
  auto store = std::make_shared<held_reads_store>(make_memory_store(),
                                                  [](const std::string&) { return true; });
  runtime_options options;
  options.max_concurrent_rehydrations = 2;
  runtime rt{store, options};
  users::register_user(rt);
  std::vector<std::future<command_result>> created;
  for (int user = 0; user < 6; ++user)
    created.push_back(rt.submit(users::CreateUser{std::to_string(user), "U", "u@x.org"}));

  const bool two_reading =
      store->wait_for_reads(must_happen_within, [](std::size_t in) { return in >= 2; });
  const bool more_reading =
      store->wait_for_reads(must_not_happen_within, [](std::size_t in) { return in > 2; });
  store->release();

  EXPECT_TRUE(two_reading);
  EXPECT_FALSE(more_reading);

  for (auto& outcome : created) EXPECT_TRUE(succeeded(outcome.get()));  // the others waited
  EXPECT_EQ(store->most_reads_at_once(), 2u);
}

}  // namespace
}  // namespace esk
