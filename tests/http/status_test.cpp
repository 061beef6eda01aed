// GET /health (the store takes writes, projections and their lag) and GET /metrics
// (Prometheus' text format).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "http_test_support.hpp"

namespace esk::testing {
namespace {

class counting_projection final : public projection {
 public:
  std::string name() const override { return "counting"; }
  void apply(const recorded_event&) override {}
};

class failing_projection final : public projection {
 public:
  std::string name() const override { return "failing"; }
  void apply(const recorded_event&) override { throw std::runtime_error("cannot apply"); }
};

TEST(HttpStatus, HealthIsReadyWithTheStoreWritableAndEachProjectionsLag) {
  served_runtime served;
  served.rt().add_projection(std::make_shared<counting_projection>());
  auto client = served.client();
  ASSERT_EQ(client.post("/commands", create_user("42")).status, 200);
  ASSERT_TRUE(served.rt().sync_projections());
  auto answer = client.get("/health");
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto body = boost::json::parse(answer.body);
  EXPECT_EQ(body.at("status").as_string(), "ready");
  EXPECT_EQ(body.at("store").at("writable").as_bool(), true);
  EXPECT_EQ(body.at("store").at("last_position").as_int64(), 1);
  auto projection = body.at("projections").at(0);
  EXPECT_EQ(projection.at("name").as_string(), "counting");
  EXPECT_EQ(projection.at("lag").as_int64(), 0);
  EXPECT_EQ(projection.at("position").as_int64(), 1);
}

TEST(HttpStatus, HealthIs503WhenAProjectionStopped) {
  served_runtime served;
  served.rt().add_projection(std::make_shared<failing_projection>());
  auto client = served.client();
  ASSERT_EQ(client.post("/commands", create_user("42")).status, 200);
  ASSERT_FALSE(served.rt().sync_projections());
  auto answer = client.get("/health");
  EXPECT_EQ(answer.status, 503) << answer.body;
  auto body = boost::json::parse(answer.body);
  EXPECT_EQ(body.at("status").as_string(), "not_ready");
  EXPECT_EQ(body.at("projections").at(0).at("state").as_string(), "stopped");
}

TEST(HttpStatus, MetricsCountCommandsByTypeAndOutcomeWithALatencyHistogram) {
  served_runtime served;
  served.rt().add_projection(std::make_shared<counting_projection>());
  auto client = served.client();
  ASSERT_EQ(client.post("/commands", create_user("1")).status, 200);
  ASSERT_EQ(client.post("/commands", create_user("2")).status, 200);
  ASSERT_EQ(client.post("/commands", create_user("1")).status, 422);
  ASSERT_TRUE(served.rt().sync_projections());
  auto answer = client.get("/metrics");
  ASSERT_EQ(answer.status, 200);
  EXPECT_EQ(answer.header("content-type"), "text/plain; version=0.0.4");
  const auto& text = answer.body;
  const auto has = [&](const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
  };
  EXPECT_TRUE(has("esk_commands_total{type=\"CreateUser\",outcome=\"ok\"} 2")) << text;
  EXPECT_TRUE(has("esk_commands_total{type=\"CreateUser\",outcome=\"rejected\"} 1")) << text;
  EXPECT_TRUE(has("esk_command_duration_seconds_bucket{le=\"+Inf\"} 3")) << text;
  EXPECT_TRUE(has("esk_command_duration_seconds_count 3")) << text;
  EXPECT_TRUE(has("esk_projection_position{projection=\"counting\"} 2")) << text;
  EXPECT_TRUE(has("esk_projection_lag{projection=\"counting\"} 0")) << text;
  EXPECT_TRUE(has("esk_log_position 2")) << text;
  EXPECT_NE(text.find("\nesk_live_aggregates "), std::string::npos) << text;
  EXPECT_TRUE(has("# TYPE esk_command_duration_seconds histogram")) << text;
}

}  // namespace
}  // namespace esk::testing
