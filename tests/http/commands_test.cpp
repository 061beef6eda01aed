// POST /commands: the JSON envelope in, the recorded events or an error out, with the status
// each error kind maps to.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "../runtime/held_appends_store.hpp"
#include "http_test_support.hpp"

namespace esk::testing {
namespace {

boost::json::value json_of(const std::string& text) { return boost::json::parse(text); }

std::string error_kind_of(const http_answer& answer) {
  return std::string(json_of(answer.body).at("error").at("kind").as_string());
}

TEST(HttpCommands, AcceptedCommandIs200WithTheRecordedEventsAndTheNewVersionAsETag) {
  served_runtime served;
  auto client = served.client();
  auto answer = client.post("/commands", create_user("42"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto events = json_of(answer.body).at("events").as_array();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("type").as_string(), "UserCreated");
  EXPECT_EQ(events[0].at("stream").as_string(), "User-42");
  EXPECT_EQ(events[0].at("payload").at("email").as_string(), "a@b.c");
  EXPECT_EQ(answer.header("etag"), "\"1\"");
  EXPECT_EQ(*served.store().stream_version("User-42"), 1u);
}

TEST(HttpCommands, KeepAliveCarriesManyCommandsOnOneConnection) {
  served_runtime served;
  auto client = served.client();
  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(client.post("/commands", create_user("u" + std::to_string(i))).status, 200);
  EXPECT_EQ(*served.store().last_position(), 20u);
}

TEST(HttpCommands, RejectedCommandIs422WithTheReason) {
  served_runtime served;
  auto client = served.client();
  ASSERT_EQ(client.post("/commands", create_user("42")).status, 200);
  auto again = client.post("/commands", create_user("42"));
  EXPECT_EQ(again.status, 422);
  EXPECT_EQ(error_kind_of(again), "rejected");
  EXPECT_NE(again.body.find("already exists"), std::string::npos) << again.body;
}

TEST(HttpCommands, PayloadMissingAFieldIs422NamingTheField) {
  served_runtime served;
  auto answer = served.client().post(
      "/commands", R"({"type": "CreateUser", "payload": {"user_id": "1", "name": "A"}})");
  EXPECT_EQ(answer.status, 422);
  EXPECT_EQ(error_kind_of(answer), "bad_payload");
  EXPECT_EQ(json_of(answer.body).at("error").at("field").as_string(), "email") << answer.body;
}

TEST(HttpCommands, BodyThatIsNotJsonIs400) {
  served_runtime served;
  auto answer = served.client().post("/commands", "{not json");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(error_kind_of(answer), "bad_json");
}

TEST(HttpCommands, UnknownCommandTypeIs404) {
  served_runtime served;
  auto answer = served.client().post("/commands", R"({"type": "Launch", "payload": {}})");
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(error_kind_of(answer), "unknown_command");
}

TEST(HttpCommands, BodyOverTheLimitIs413AndNothingIsRecorded) {
  auto options = served_runtime::loopback();
  options.max_body_bytes = 256;
  served_runtime served(options);
  auto answer = served.client().post("/commands", create_user("42", std::string(300, 'a') + "@b"));
  EXPECT_EQ(answer.status, 413);
  EXPECT_EQ(error_kind_of(answer), "too_large");
  EXPECT_EQ(*served.store().last_position(), 0u);
}

TEST(HttpCommands, HandlerThatThrowsIs500) {
  served_runtime served;
  auto answer =
      served.client().post("/commands", R"({"type": "BlowFuse", "payload": {"fuse_id": "f"}})");
  EXPECT_EQ(answer.status, 500);
  EXPECT_EQ(error_kind_of(answer), "handler_failed");
}

TEST(HttpCommands, IdempotencyKeyIsRecordedAsTheCommandId) {
  served_runtime served;
  auto answer =
      served.client().post("/commands", create_user("42"), {{"Idempotency-Key", "order-7-create"}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto recorded = *served.store().read_stream("User-42");
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].metadata.command_id, "order-7-create");
}

TEST(HttpCommands, RetryWithTheSameIdempotencyKeyRecordsNothingNew) {
  served_runtime served;
  auto client = served.client();
  auto first = client.post("/commands", create_user("42"), {{"Idempotency-Key", "k-1"}});
  auto retry = client.post("/commands", create_user("42"), {{"Idempotency-Key", "k-1"}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(retry.status, 200) << retry.body;
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(*served.store().last_position(), 1u);
}

TEST(HttpCommands, IfMatchThatIsNotAVersionIs400) {
  served_runtime served;
  auto answer = served.client().post("/commands", create_user("42"), {{"If-Match", "\"abc\""}});
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(error_kind_of(answer), "bad_json");
}

// A store whose appends fail before anything is written.
class unavailable_store final : public forwarding_store {
 public:
  using forwarding_store::forwarding_store;
  std::vector<result<std::vector<recorded_event>>> append_batch(
      const std::vector<append_request>& requests) override {
    return std::vector<result<std::vector<recorded_event>>>(
        requests.size(),
        error{error_kind::store_unavailable, "disk unplugged: nothing was written"});
  }
};

TEST(HttpCommands, StoreUnavailableIs503WithRetryAfter) {
  served_runtime served(served_runtime::loopback(),
                        std::make_shared<unavailable_store>(make_memory_store()));
  auto answer = served.client().post("/commands", create_user("42"));
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(error_kind_of(answer), "store_unavailable");
  EXPECT_EQ(answer.header("retry-after"), "1");
}

// The number a metric line "name value" shows in /metrics, or -1.
long metric(http_client& client, const std::string& name) {
  const auto body = client.get("/metrics").body;
  const auto at = body.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stol(body.substr(at + name.size() + 2));
}

TEST(HttpCommands, FloodPastTheInFlightBoundIs503AndTheAdmittedOnesComplete) {
  constexpr int bound = 4;
  constexpr int flood = 40;
  auto held = std::make_shared<held_appends_store>(make_memory_store());
  auto options = served_runtime::loopback();
  options.max_in_flight = bound;
  served_runtime served(options, held);
  std::vector<http_client> admitted;
  for (int i = 0; i < bound; ++i) {
    admitted.push_back(served.client());
    admitted.back().send_request("POST", "/commands", create_user("held-" + std::to_string(i)));
  }
  auto observer = served.client();
  for (int tries = 0; metric(observer, "esk_http_commands_in_flight") != bound; ++tries)
    ASSERT_LT(tries, 10000) << "the held commands never were all in flight";

  auto flooder = served.client();
  for (int i = 0; i < flood; ++i) {
    auto refused = flooder.post("/commands", create_user("flood-" + std::to_string(i)));
    ASSERT_EQ(refused.status, 503) << refused.body;
    EXPECT_EQ(error_kind_of(refused), "overloaded");
    EXPECT_EQ(refused.header("retry-after"), "1");
  }
  held->release();
  for (auto& client : admitted) EXPECT_EQ(client.read_answer().status, 200);
  EXPECT_EQ(*served.store().last_position(), static_cast<std::uint64_t>(bound));
}

}  // namespace
}  // namespace esk::testing
