// If-Match on POST /commands: the client's expected version; a stale one is a 409 that says
// where the stream is.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

#include "http_test_support.hpp"

namespace esk::testing {
namespace {

boost::json::value json_of(const std::string& text) { return boost::json::parse(text); }

TEST(HttpIfMatch, IfMatchWithTheCurrentVersionIsAccepted) {
  served_runtime served;
  auto client = served.client();
  auto created = client.post("/commands", create_user("42"), {{"If-Match", "\"0\""}});
  ASSERT_EQ(created.status, 200) << created.body;
  auto changed =
      client.post("/commands", change_email("42", "n@b.c"), {{"If-Match", created.header("etag")}});
  EXPECT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.header("etag"), "\"2\"");
}

TEST(HttpIfMatch, IfMatchWithAStaleVersionIs409WithTheCurrentVersion) {
  served_runtime served;
  auto client = served.client();
  ASSERT_EQ(client.post("/commands", create_user("42")).status, 200);
  ASSERT_EQ(client.post("/commands", change_email("42", "n@b.c")).status, 200);
  auto stale = client.post("/commands", change_email("42", "late@b.c"), {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(json_of(stale.body).at("error").at("kind").as_string(), "conflict");
  ASSERT_TRUE(json_of(stale.body).at("error").as_object().contains("current_version"))
      << stale.body;
  EXPECT_EQ(json_of(stale.body).at("error").at("current_version").as_int64(), 2) << stale.body;
  EXPECT_EQ(stale.header("etag"), "\"2\"");
  EXPECT_EQ(*served.store().stream_version("User-42"), 2u);
}

}  // namespace
}  // namespace esk::testing
