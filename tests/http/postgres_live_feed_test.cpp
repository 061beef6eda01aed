// GET /events/live on a PostgreSQL store shared with other processes: the feed follows the other
// processes' commits promptly (woken by the store's commit announcement; polling is set to
// an hour here), in position order.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "esk/store/postgres_store.hpp"
#include "http_test_support.hpp"
#include "postgres_test_server.hpp"

namespace esk::testing {
namespace {

append_request user_created(const std::string& id) {
  return append_request{
      "User-" + id,
      0,
      {new_event{"UserCreated",
                 "{\"id\":\"" + id + "\",\"name\":\"N\",\"email\":\"" + id + "@x.org\"}",
                 event_metadata{"event-" + id, "command-" + id, "", "", "2026-11-26T00:00:00Z"}}}};
}

TEST(HttpLiveFeedOnPostgres, FollowsAnotherProcesssCommitsWithoutPolling) {
  const std::string url = postgres_url_or_skip();
  if (url.empty()) return;
  auto options = served_runtime::loopback();
  options.live_poll_interval = std::chrono::hours(1);
  served_runtime served(options, opened(open_postgres_store(url)));
  auto other_node = opened(open_postgres_store(url));
  http_client feed(served.port(), std::chrono::seconds(10));
  feed.send_request("GET", "/events/live?from=1");

  for (int i = 0; i < 5; ++i) ASSERT_TRUE(other_node->append(user_created(std::to_string(i))).ok());
  auto events = parse_sse(
      feed.read_until([](const std::string& received) { return parse_sse(received).size() >= 5; }));

  ASSERT_EQ(events.size(), 5u);
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].id, i + 1);
    EXPECT_EQ(boost::json::parse(events[i].data).at("stream").as_string(),
              "User-" + std::to_string(i));
  }
}

}  // namespace
}  // namespace esk::testing
