// Live delivery across processes, at the store layer: a store shared by several processes
// hands out listeners for its commits; a commit_follower reports every other writer's commit
// with the new last position, and stops at once when destroyed.
#include "esk/store/commit_follower.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "esk/store/memory_store.hpp"
#include "esk/store/postgres_store.hpp"
#include "postgres_test_server.hpp"
#include "store_test_events.hpp"

namespace esk {
namespace {

using testing::make_request;
using testing::opened;

// Positions a follower reported, and a bounded wait for one.
class reported_positions {
 public:
  commit_follower::commits_callback callback() {
    return [this](std::uint64_t position) {
      std::lock_guard<std::mutex> lock{mutex_};
      positions_.push_back(position);
      changed_.notify_all();
    };
  }
  // Waits up to `timeout` for a report of at least `position`; returns what was reported.
  std::vector<std::uint64_t> wait_for(std::uint64_t position, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock{mutex_};
    changed_.wait_for(lock, timeout,
                      [&] { return !positions_.empty() && positions_.back() >= position; });
    return positions_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::uint64_t> positions_;
};

TEST(CommitFollower, AStoreOfOneProcessAnnouncesNothingSoNoFollowerStarts) {
  auto store = make_memory_store();
  auto listener = store->listen_for_commits();
  ASSERT_TRUE(listener.ok());
  EXPECT_EQ(*listener, nullptr);
  EXPECT_EQ(commit_follower::start(*store, [](std::uint64_t) {}), nullptr);
}

TEST(CommitFollower, APostgresStoreListensThroughTheStoreInterface) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto here = opened(open_postgres_store(url));
  auto other_node = opened(open_postgres_store(url));
  auto listener = here->listen_for_commits();
  ASSERT_TRUE(listener.ok()) << listener.error_value();
  ASSERT_NE(*listener, nullptr);

  ASSERT_TRUE(other_node->append(make_request("Account-1", 0, 3)).ok());
  auto heard = (*listener)->wait_for_commits(std::chrono::seconds(10));

  ASSERT_TRUE(heard.ok()) << heard.error_value();
  ASSERT_TRUE(heard->has_value()) << "no notification within 10 s";
  EXPECT_EQ(**heard, 3u);
}

TEST(CommitFollower, InterruptEndsAWaitAtOnce) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = opened(open_postgres_store(url));
  auto listener = store->listen_for_commits();
  ASSERT_TRUE(listener.ok()) << listener.error_value();
  (*listener)->interrupt();

  const auto started = std::chrono::steady_clock::now();
  auto heard = (*listener)->wait_for_commits(std::chrono::seconds(30));

  ASSERT_TRUE(heard.ok()) << heard.error_value();
  EXPECT_FALSE(heard->has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(CommitFollower, ReportsTheLogsEndAtStartThenEachCommitOfAnotherWriter) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto here = opened(open_postgres_store(url));
  auto other_node = opened(open_postgres_store(url));
  ASSERT_TRUE(other_node->append(make_request("Account-1", 0, 2)).ok());
  reported_positions reported;
  auto follower = commit_follower::start(*here, reported.callback());
  ASSERT_NE(follower, nullptr);
  EXPECT_EQ(reported.wait_for(2, std::chrono::seconds(10)), (std::vector<std::uint64_t>{2}))
      << "the end of the log when it started listening";

  ASSERT_TRUE(other_node->append(make_request("Account-2", 0, 3)).ok());
  ASSERT_TRUE(other_node->append(make_request("Account-1", 2, 1)).ok());
  auto positions = reported.wait_for(6, std::chrono::seconds(10));

  ASSERT_FALSE(positions.empty());
  EXPECT_EQ(positions.back(), 6u) << "no announcement within 10 s";
  EXPECT_TRUE(std::is_sorted(positions.begin(), positions.end()));
}

TEST(CommitFollower, FollowsCommitsAgainAfterTheServerEndedItsListeningSession) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  const std::string application = "esk_follower_" + std::to_string(::getpid());
  auto here = opened(open_postgres_store(url + "&application_name=" + application));
  auto other_node = opened(open_postgres_store(url));
  reported_positions reported;
  auto follower = commit_follower::start(*here, reported.callback(), std::chrono::milliseconds(20));
  ASSERT_NE(follower, nullptr);

  ASSERT_EQ(testing::end_sessions_named(application), "");
  ASSERT_TRUE(other_node->append(make_request("Account-1", 0)).ok());
  ASSERT_EQ(reported.wait_for(1, std::chrono::seconds(10)), (std::vector<std::uint64_t>{1}))
      << "nothing reported within 10 s of the session's end";
  ASSERT_TRUE(other_node->append(make_request("Account-1", 1)).ok());
  auto positions = reported.wait_for(2, std::chrono::seconds(10));

  EXPECT_EQ(positions, (std::vector<std::uint64_t>{1, 2}))
      << "no announcement within 10 s after listening again";
}

TEST(CommitFollower, StopsPromptlyWhileWaiting) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = opened(open_postgres_store(url));
  auto follower = commit_follower::start(*store, [](std::uint64_t) {});
  ASSERT_NE(follower, nullptr);

  const auto started = std::chrono::steady_clock::now();
  follower.reset();

  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

}  // namespace
}  // namespace esk
