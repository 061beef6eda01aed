// Several nodes, one PostgreSQL store: a runtime's projections follow the commits another
// process makes, promptly (woken by the store's commit announcement, not by a commit of their
// own or a sync), in position order, without gaps or repeats. The other node here is a second
// store connection, as another process would hold.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aggregates/user.hpp"
#include "esk/runtime.hpp"
#include "esk/store/postgres_store.hpp"
#include "postgres_test_server.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::opened;

// Records the positions it applies; a bounded wait for the count to reach a number.
class position_recorder final : public projection {
 public:
  std::string name() const override { return "positions"; }
  void apply(const recorded_event& event) override {
    std::lock_guard<std::mutex> lock{mutex_};
    positions_.push_back(event.position);
    changed_.notify_all();
  }
  // Waits up to `timeout` for `count` applied events; returns the positions applied by then.
  std::vector<std::uint64_t> wait_for(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock{mutex_};
    changed_.wait_for(lock, timeout, [&] { return positions_.size() >= count; });
    return positions_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::uint64_t> positions_;
};

std::vector<std::uint64_t> one_to(std::uint64_t last) {
  std::vector<std::uint64_t> positions;
  for (std::uint64_t position = 1; position <= last; ++position) positions.push_back(position);
  return positions;
}

append_request user_created(const std::string& id, std::uint64_t expected_version) {
  return append_request{
      "User-" + id,
      expected_version,
      {new_event{"UserCreated",
                 "{\"id\":\"" + id + "\",\"name\":\"N\",\"email\":\"" + id + "@x.org\"}",
                 event_metadata{"event-" + id, "command-" + id, "", "", "2026-11-26T00:00:00Z"}}}};
}

TEST(PostgresLiveDelivery, AProjectionFollowsCommitsOfAnotherProcessInOrderWithoutASync) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto other_node = opened(open_postgres_store(url));
  ASSERT_TRUE(other_node->append(user_created("before", 0)).ok());
  runtime rt{opened(open_postgres_store(url))};
  auto recorder = std::make_shared<position_recorder>();
  rt.add_projection(recorder);
  ASSERT_EQ(recorder->wait_for(1, std::chrono::seconds(10)), one_to(1));

  // Appends of the other node only: this runtime commits nothing, and nobody syncs.
  for (int i = 0; i < 20; ++i) {
    std::vector<append_request> batch{user_created("a" + std::to_string(i), 0),
                                      user_created("b" + std::to_string(i), 0)};
    for (const auto& outcome : other_node->append_batch(batch)) ASSERT_TRUE(outcome.ok());
  }

  EXPECT_EQ(recorder->wait_for(41, std::chrono::seconds(10)), one_to(41))
      << "each of the other node's events, once, in position order, within 10 s";
}

TEST(PostgresLiveDelivery, OwnAndOtherCommitsInterleavedReachAProjectionOnceEach) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto other_node = opened(open_postgres_store(url));
  runtime rt{opened(open_postgres_store(url))};
  users::register_user(rt);
  auto recorder = std::make_shared<position_recorder>();
  rt.add_projection(recorder);

  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(other_node->append(user_created("other-" + std::to_string(i), 0)).ok());
    ASSERT_TRUE(testing::succeeded(
        rt.execute(users::CreateUser{"own-" + std::to_string(i), "Own", "o@x.org"})));
  }
  ASSERT_TRUE(other_node->append(user_created("last", 0)).ok());

  EXPECT_EQ(recorder->wait_for(21, std::chrono::seconds(10)), one_to(21));
}

}  // namespace
}  // namespace esk
