// A rejection's machine-readable code is in the 422 body beside the kind and the text.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "http_test_support.hpp"

namespace esk::testing {
namespace {

TEST(HttpRejectionCode, IsInThe422Body) {
  served_runtime served;
  auto client = served.client();
  ASSERT_EQ(client.post("/commands", create_user("42")).status, 200);

  auto again = client.post("/commands", create_user("42"));

  EXPECT_EQ(again.status, 422);
  auto error = boost::json::parse(again.body).at("error");
  EXPECT_EQ(error.at("kind").as_string(), "rejected");
  EXPECT_EQ(error.at("code").as_string(), "user_exists") << again.body;
  EXPECT_EQ(error.at("message").as_string(), "User 42: CreateUser: user 42 already exists");
}

TEST(HttpRejectionCode, IsAbsentFromOtherErrors) {
  served_runtime served;
  auto answer = served.client().post(
      "/commands", R"({"type": "CreateUser", "payload": {"user_id": "1", "name": "A"}})");
  EXPECT_EQ(answer.status, 422);
  EXPECT_FALSE(boost::json::parse(answer.body).at("error").as_object().contains("code"))
      << answer.body;
}

}  // namespace
}  // namespace esk::testing
