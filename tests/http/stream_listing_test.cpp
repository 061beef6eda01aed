// GET /streams: every stream's name and version as JSON lines, paged by name with a Link,
// never the whole list at once.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "http_test_support.hpp"

namespace esk::testing {
namespace {

TEST(HttpStreamListing, PagesThroughEveryStreamByNameWithItsVersionFollowingTheLinks) {
  served_runtime served;
  auto client = served.client();
  for (const char* id : {"3", "1", "5", "2", "4"})
    ASSERT_EQ(client.post("/commands", create_user(id)).status, 200);
  ASSERT_EQ(client.post("/commands", change_email("2", "new@b.c")).status, 200);

  std::vector<std::string> listed;
  std::vector<std::int64_t> versions;
  std::string target = "/streams?limit=2";
  int pages = 0;
  while (!target.empty() && pages < 10) {
    auto page = client.get(target);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_EQ(page.header("content-type"), "application/x-ndjson");
    ++pages;
    for (const auto& line : page.lines()) {
      auto stream = boost::json::parse(line);
      listed.push_back(std::string(stream.at("stream").as_string()));
      versions.push_back(stream.at("version").as_int64());
      EXPECT_GT(stream.at("last_position").as_int64(), 0);
    }
    const auto link = page.header("link");
    target = link.empty() ? "" : link.substr(1, link.find('>') - 1);
  }

  EXPECT_EQ(pages, 3);
  EXPECT_EQ(listed, (std::vector<std::string>{"User-1", "User-2", "User-3", "User-4", "User-5"}));
  EXPECT_EQ(versions, (std::vector<std::int64_t>{1, 2, 1, 1, 1}));
}

TEST(HttpStreamListing, FromNamesTheFirstStreamOfThePage) {
  served_runtime served;
  auto client = served.client();
  for (const char* id : {"a", "b", "c"})
    ASSERT_EQ(client.post("/commands", create_user(id)).status, 200);
  auto page = client.get("/streams?from=User-b&limit=2");
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_EQ(page.lines().size(), 2u);
  EXPECT_EQ(boost::json::parse(page.lines()[0]).at("stream").as_string(), "User-b");
  EXPECT_EQ(boost::json::parse(page.lines()[1]).at("stream").as_string(), "User-c");
  EXPECT_EQ(page.header("link"), "") << "the last page has no Link";
}

TEST(HttpStreamListing, AnEmptyStoreListsNothing) {
  served_runtime served;
  auto page = served.client().get("/streams");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "");
}

TEST(HttpStreamListing, ALimitOutOfRangeIs400) {
  served_runtime served;
  auto client = served.client();
  EXPECT_EQ(client.get("/streams?limit=0").status, 400);
  EXPECT_EQ(client.get("/streams?limit=1001").status, 400);
  EXPECT_EQ(client.get("/streams?limit=x").status, 400);
}

}  // namespace
}  // namespace esk::testing
