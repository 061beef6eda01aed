// GET /aggregates/{type}/{id}, /streams/{stream} and /events: state with its version, and the
// log as paged JSON lines.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "http_test_support.hpp"

namespace esk::testing {
namespace {

boost::json::value json_of(const std::string& text) { return boost::json::parse(text); }

TEST(HttpReads, AggregateIsItsStateWithItsVersionAsETag) {
  served_runtime served;
  auto client = served.client();
  ASSERT_EQ(client.post("/commands", create_user("42")).status, 200);
  ASSERT_EQ(client.post("/commands", change_email("42", "new@b.c")).status, 200);
  auto answer = client.get("/aggregates/User/42");
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto body = json_of(answer.body);
  EXPECT_EQ(body.at("version").as_int64(), 2);
  EXPECT_EQ(body.at("state").at("email").as_string(), "new@b.c");
  EXPECT_EQ(answer.header("etag"), "\"2\"");
}

TEST(HttpReads, AggregateIdIsPercentDecoded) {
  served_runtime served;
  auto client = served.client();
  ASSERT_EQ(client.post("/commands", create_user("a b/c")).status, 200);
  EXPECT_EQ(client.get("/aggregates/User/a%20b%2Fc").status, 200);
}

TEST(HttpReads, AggregateWithoutEventsIs404) {
  served_runtime served;
  auto answer = served.client().get("/aggregates/User/nobody");
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(json_of(answer.body).at("error").at("kind").as_string(), "not_found");
}

TEST(HttpReads, UnknownAggregateTypeIs404) {
  served_runtime served;
  auto answer = served.client().get("/aggregates/Planet/earth");
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(json_of(answer.body).at("error").at("kind").as_string(), "unknown_aggregate");
}

TEST(HttpReads, StreamIsJsonLinesInVersionOrderPagedWithALink) {
  served_runtime served;
  auto client = served.client();
  ASSERT_EQ(client.post("/commands", create_user("42")).status, 200);
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(client.post("/commands", change_email("42", std::to_string(i) + "@b.c")).status, 200);
  auto first = client.get("/streams/User-42?limit=3");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.header("content-type"), "application/x-ndjson");
  ASSERT_EQ(first.lines().size(), 3u);
  EXPECT_EQ(json_of(first.lines()[2]).at("version").as_int64(), 3);
  EXPECT_EQ(first.header("link"), "</streams/User-42?from=4&limit=3>; rel=\"next\"");
  auto second = client.get("/streams/User-42?from=4&limit=3");
  ASSERT_EQ(second.lines().size(), 2u);
  EXPECT_EQ(json_of(second.lines()[0]).at("version").as_int64(), 4);
  EXPECT_EQ(second.header("link"), "");
}

TEST(HttpReads, StreamWithoutEventsIs404) {
  served_runtime served;
  EXPECT_EQ(served.client().get("/streams/User-nobody").status, 404);
}

TEST(HttpReads, EventsArePagedInPositionOrderAndFilteredByType) {
  served_runtime served;
  auto client = served.client();
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(client.post("/commands", create_user(std::to_string(i))).status, 200);
    ASSERT_EQ(client.post("/commands", change_email(std::to_string(i), "x@y.z")).status, 200);
  }
  auto page = client.get("/events?from=3&limit=4");
  ASSERT_EQ(page.status, 200);
  ASSERT_EQ(page.lines().size(), 4u);
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_EQ(json_of(page.lines()[i]).at("position").as_int64(), static_cast<int>(3 + i));
  EXPECT_EQ(page.header("link"), "</events?from=7&limit=4>; rel=\"next\"");

  auto changed = client.get("/events?type=UserEmailChanged&limit=1000");
  ASSERT_EQ(changed.lines().size(), 5u);
  for (const auto& line : changed.lines())
    EXPECT_EQ(json_of(line).at("type").as_string(), "UserEmailChanged");
  EXPECT_EQ(changed.header("link"), "");
}

TEST(HttpReads, LimitOverTheMaximumIs400) {
  served_runtime served;
  auto answer = served.client().get("/events?limit=1000000");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(served.client().get("/events?from=abc").status, 400);
}

TEST(HttpReads, UnknownPathIs404AndWrongMethodIs405) {
  served_runtime served;
  auto client = served.client();
  EXPECT_EQ(client.get("/nowhere").status, 404);
  auto wrong = client.get("/commands");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.header("allow"), "POST");
}

}  // namespace
}  // namespace esk::testing
