// The HTTP reads show the log in the current schema (esk/upcasting.hpp): a UserCreated of
// version 1, stored without an email, comes out as version 2 does; an event too new for this
// build answers unknown_event instead of a misread payload.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "http_test_support.hpp"

namespace esk::testing {
namespace {

// Appends one event to `store` as an older (or newer) build wrote it.
void store_event(event_store& store, const std::string& stream, const std::string& type,
                 const std::string& payload) {
  append_request request{stream, 0, {}};
  request.events.push_back({type, payload, {"e", "c", "c", "c", "2026-01-01T00:00:00.000Z"}});
  auto appended = store.append(request);
  ASSERT_TRUE(appended) << appended.error_value();
}

TEST(HttpUpcasting, StreamsAndEventsShowAnOldEventInTheCurrentSchema) {
  served_runtime served;
  store_event(served.store(), "User-1", "UserCreated", R"({"user_id":"1","name":"Ada"})");
  auto client = served.client();

  for (const std::string target : {"/streams/User-1", "/events?type=UserCreated"}) {
    auto answer = client.get(target);
    ASSERT_EQ(answer.status, 200) << target << ": " << answer.body;
    ASSERT_EQ(answer.lines().size(), 1u) << target;
    auto event = boost::json::parse(answer.lines()[0]);
    EXPECT_EQ(event.at("type").as_string(), "UserCreated") << target;
    EXPECT_EQ(event.at("payload").at("email").as_string(), "") << target;
  }
  auto state = boost::json::parse(client.get("/aggregates/User/1").body);
  EXPECT_EQ(state.at("state").at("name").as_string(), "Ada");
}

TEST(HttpUpcasting, AnEventTooNewAnswersUnknownEventNamingTypeAndVersion) {
  served_runtime served;
  store_event(served.store(), "User-1", "UserCreated@v3", R"({"user_id":"1","name":"Ada"})");

  auto answer = served.client().get("/events");

  EXPECT_EQ(answer.status, 500);
  auto error = boost::json::parse(answer.body).at("error");
  EXPECT_EQ(error.at("kind").as_string(), "unknown_event");
  const std::string message(error.at("message").as_string());
  EXPECT_NE(message.find("event type 'UserCreated' version 3"), std::string::npos) << message;
}

}  // namespace
}  // namespace esk::testing
