// The browser page: GET / and its script and style, embedded in the binary.
#include <gtest/gtest.h>

#include <string>

#include "http_test_support.hpp"

namespace esk::testing {
namespace {

TEST(HttpPage, RootIsThePageWithTheCommandFormAndItsScript) {
  served_runtime served;
  auto client = served.client();
  auto page = client.get("/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<form id=\"command-form\">"), std::string::npos);
  EXPECT_NE(page.body.find("<script src=\"/page.js\">"), std::string::npos);

  auto script = client.get("/page.js");
  ASSERT_EQ(script.status, 200);
  EXPECT_EQ(script.header("content-type"), "text/javascript");
  EXPECT_NE(script.body.find("new EventSource(\"/events/live?from=\""), std::string::npos);
  EXPECT_EQ(client.get("/page.css").header("content-type"), "text/css");
  EXPECT_EQ(client.get("/page.html").status, 404);
}

}  // namespace
}  // namespace esk::testing
