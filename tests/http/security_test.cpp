// The security model: loopback by default; elsewhere a bearer token on every endpoint but
// /health; limits on headers, idle time and connections.
#include <gtest/gtest.h>

#include <string>

#include "../../http/src/bearer_token.hpp"
#include "http_test_support.hpp"

namespace esk::testing {
namespace {

TEST(HttpSecurity, ListeningBeyondLoopbackWithoutATokenDoesNotStart) {
  auto rt_store = make_memory_store();
  runtime rt{rt_store};
  http_options options;
  options.bind = "0.0.0.0";
  options.port = 0;
  http_server server{rt, options};
  auto started = server.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.kind(), error_kind::invalid_argument);
  EXPECT_NE(started.error_value().message.find("bearer token"), std::string::npos);
}

http_options all_interfaces_with_token() {
  http_options options;
  options.bind = "0.0.0.0";  // reached through 127.0.0.1 by the tests
  options.port = 0;
  options.bearer_token = "s3cret-token";
  return options;
}

TEST(HttpSecurity, BoundToAllInterfacesEveryEndpointButHealthNeedsTheToken) {
  served_runtime served(all_interfaces_with_token());
  auto client = served.client();
  auto missing = client.post("/commands", create_user("42"));
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.header("www-authenticate"), "Bearer");
  EXPECT_EQ(client.get("/events").status, 401);
  EXPECT_EQ(client.get("/metrics").status, 401);
  EXPECT_EQ(client.get("/events/live").status, 401);
  EXPECT_EQ(client.get("/events", {{"Authorization", "Bearer s3cret-tokeX"}}).status, 401);
  EXPECT_EQ(client.get("/events", {{"Authorization", "Bearer s3cret"}}).status, 401);
  EXPECT_EQ(client.get("/events", {{"Authorization", "s3cret-token"}}).status, 401);
  EXPECT_EQ(*served.store().last_position(), 0u);

  EXPECT_EQ(client.get("/health").status, 200);
  auto allowed =
      client.post("/commands", create_user("42"), {{"Authorization", "Bearer s3cret-token"}});
  EXPECT_EQ(allowed.status, 200) << allowed.body;
}

TEST(HttpSecurity, TokenComparisonNeedsTheExactToken) {
  using http_detail::bearer_token_matches;
  EXPECT_TRUE(bearer_token_matches("Bearer abc", "abc"));
  EXPECT_FALSE(bearer_token_matches("Bearer abd", "abc"));
  EXPECT_FALSE(bearer_token_matches("Bearer abcd", "abc"));
  EXPECT_FALSE(bearer_token_matches("Bearer ab", "abc"));
  EXPECT_FALSE(bearer_token_matches("Basic abc", "abc"));
  EXPECT_FALSE(bearer_token_matches("Bearer ", ""));
}

TEST(HttpSecurity, HeadersOverTheLimitAre431) {
  auto options = served_runtime::loopback();
  options.max_header_bytes = 1024;
  served_runtime served(options);
  auto answer = served.client().get("/health", {{"X-Padding", std::string(4096, 'p')}});
  EXPECT_EQ(answer.status, 431);
}

TEST(HttpSecurity, MalformedRequestIs400) {
  served_runtime served;
  auto answer = served.client().raw("GARBAGE\r\n\r\n");
  EXPECT_EQ(answer.status, 400);
}

TEST(HttpSecurity, AnIdleConnectionIsClosedAfterTheIdleTimeout) {
  auto options = served_runtime::loopback();
  options.idle_timeout = std::chrono::milliseconds(100);
  served_runtime served(options);
  auto idle = served.client();
  EXPECT_EQ(idle.get("/health").status, 200);
  EXPECT_EQ(idle.read_to_end(), "");  // closed by the server, with nothing more said
}

TEST(HttpSecurity, ConnectionsBeyondTheLimitAre503) {
  auto options = served_runtime::loopback();
  options.max_connections = 2;
  served_runtime served(options);
  auto first = served.client();
  auto second = served.client();
  EXPECT_EQ(first.get("/health").status, 200);
  EXPECT_EQ(second.get("/health").status, 200);
  auto third = served.client();
  auto refused = third.read_answer();
  EXPECT_EQ(refused.status, 503);
}

}  // namespace
}  // namespace esk::testing
