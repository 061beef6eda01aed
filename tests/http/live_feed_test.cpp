// GET /events/live: Server-Sent Events following the commits in position order, resumable
// with Last-Event-ID; a client that does not read is dropped.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>
#include <string>
#include <vector>

#include "http_test_support.hpp"

namespace esk::testing {
namespace {

// Reads from `feed` until it has `count` events.
std::vector<sse_event> read_events(http_client& feed, std::size_t count) {
  auto text = feed.read_until(
      [count](const std::string& received) { return parse_sse(received).size() >= count; });
  return parse_sse(text);
}

TEST(HttpLiveFeed, FollowsCommitsInPositionOrder) {
  served_runtime served;
  auto writer = served.client();
  ASSERT_EQ(writer.post("/commands", create_user("before")).status, 200);
  auto feed = served.client();
  feed.send_request("GET", "/events/live?from=1");
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(writer.post("/commands", create_user("after-" + std::to_string(i))).status, 200);
  auto events = read_events(feed, 6);
  ASSERT_EQ(events.size(), 6u);
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].id, i + 1);
    EXPECT_EQ(boost::json::parse(events[i].data).at("position").as_int64(),
              static_cast<int>(i + 1));
  }
}

TEST(HttpLiveFeed, SeesCommitsMadeInProcessNotThroughHttp) {
  served_runtime served;
  auto feed = served.client();
  feed.send_request("GET", "/events/live");
  ASSERT_TRUE(served.rt().execute(users::CreateUser{"7", "In Process", "i@p.c"}));
  auto events = read_events(feed, 1);
  EXPECT_EQ(boost::json::parse(events[0].data).at("stream").as_string(), "User-7");
}

TEST(HttpLiveFeed, ResumingWithLastEventIdLosesAndRepeatsNothing) {
  served_runtime served;
  auto writer = served.client();
  std::vector<std::uint64_t> seen;
  {
    auto feed = served.client();
    feed.send_request("GET", "/events/live");
    for (int i = 0; i < 3; ++i)
      ASSERT_EQ(writer.post("/commands", create_user("a" + std::to_string(i))).status, 200);
    for (const auto& event : read_events(feed, 3)) seen.push_back(event.id);
  }  // the connection drops
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(writer.post("/commands", create_user("b" + std::to_string(i))).status, 200);
  auto resumed = served.client();
  resumed.send_request("GET", "/events/live", {}, {{"Last-Event-ID", std::to_string(seen.back())}});
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(writer.post("/commands", create_user("c" + std::to_string(i))).status, 200);
  for (const auto& event : read_events(resumed, 6)) seen.push_back(event.id);

  ASSERT_EQ(seen.size(), 9u);
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], i + 1) << "at " << i;
}

TEST(HttpLiveFeed, AClientThatDoesNotReadIsDropped) {
  auto options = served_runtime::loopback();
  options.write_timeout = std::chrono::milliseconds(200);
  served_runtime served(options);
  // Enough events to fill both sockets' buffers: about 40 MB.
  const std::string big_name(256 * 1024, 'n');
  for (int i = 0; i < 160; ++i)
    ASSERT_TRUE(served.rt().execute(users::CreateUser{std::to_string(i), big_name, "a@b.c"}));
  auto observer = served.client();
  const auto open_connections = [&] {
    const auto metrics = observer.get("/metrics").body;
    const std::string name = "\nesk_http_open_connections ";
    const auto at = metrics.find(name);
    return at == std::string::npos ? -1 : std::stoi(metrics.substr(at + name.size()));
  };
  // Bounded in time, not in tries: under ASan a try takes milliseconds.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto sluggard = served.client();
  sluggard.send_request("GET", "/events/live");
  // First the feed must be open: it is once its answer's head arrived (the sluggard reads that
  // and at most 64 KiB more, then nothing). Counting one connection before the server accepted
  // the sluggard ended the old wait at once, and the sluggard, reading to the end, took every
  // event and then a heartbeat every 15 s for ever instead of being dropped.
  auto head = sluggard.read_until([](const std::string& received) {
    return received.find("retry: 1000\n\n") != std::string::npos;
  });
  // Then the server drops it: only the observer's connection is left.
  while (open_connections() != 1)
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << "the client that does not read was never dropped";
  // What the sockets held arrives, then the end: far from all 160 events.
  EXPECT_LT(parse_sse(head + sluggard.read_to_end()).size(), 160u);
}

}  // namespace
}  // namespace esk::testing
