// The browser page in a real headless chromium, driven through the DevTools protocol: it lists
// the streams, sends a command through its form, and shows the new event from the live feed.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "devtools_client.hpp"
#include "http_test_support.hpp"

namespace esk::testing {
namespace {

constexpr auto page_wait = std::chrono::seconds(20);

// The text of the first live event on the page whose text contains `needle`, or "".
std::string live_event_containing(const std::string& needle) {
  return "[...document.querySelectorAll('#events li.event')].map(e => e.textContent)"
         ".find(t => t.includes(" +
         boost::json::serialize(boost::json::string(needle)) + ")) || ''";
}

TEST(HttpBrowserPage, ACommandSentThroughTheFormAppearsInTheLiveEventList) {
  const auto binary = headless_chromium::find_binary();
  if (!binary)
    GTEST_SKIP() << "chromium is not installed (/usr/bin/chromium); apt-get install chromium";
  served_runtime served;
  // A stream whose only event is older than the 100 newest the page starts its feed with: only
  // the stream listing (GET /streams) can show it.
  ASSERT_TRUE(served.rt().execute_json(create_user("early")));
  ASSERT_TRUE(served.rt().execute_json(create_user("busy")));
  for (int i = 0; i < 99; ++i)
    ASSERT_TRUE(served.rt().execute_json(change_email("busy", std::to_string(i) + "@b.c")));
  headless_chromium chromium(*binary);
  devtools_page page(chromium.devtools_port(), page_wait);

  page.call("Page.navigate", {{"url", "http://127.0.0.1:" + std::to_string(served.port()) + "/"}});
  ASSERT_TRUE(page.poll("document.readyState === 'complete' && "
                        "document.getElementById('live-status').textContent === 'live'",
                        page_wait)
                  .is_bool())
      << "the page did not load and connect its live feed";
  const auto early = page.poll(
      "[...document.querySelectorAll('#streams li')].map(e => e.textContent)"
      ".find(t => t.startsWith('User-early ')) || ''",
      page_wait);
  ASSERT_TRUE(early.is_string()) << "the stream listing does not show User-early";
  EXPECT_EQ(early.as_string(), "User-early (version 1)");

  // Fill in the form and submit it as a user would.
  page.evaluate(R"(
    document.getElementById('command').value = JSON.stringify({type: 'CreateUser',
      payload: {user_id: 'from-browser', name: 'Grace', email: 'grace@example.org'}});
    document.querySelector('#command-form button[type=submit]').click();
    true)");

  const auto shown = page.poll(live_event_containing("User-from-browser"), page_wait);
  ASSERT_TRUE(shown.is_string()) << "the new event did not appear in the live event list";
  const std::string text(shown.as_string());
  EXPECT_NE(text.find("User-from-browser v1 UserCreated"), std::string::npos) << text;
  EXPECT_NE(text.find("grace@example.org"), std::string::npos) << text;
  const auto answer = page.poll("document.getElementById('command-result').textContent", page_wait);
  ASSERT_TRUE(answer.is_string());
  EXPECT_EQ(std::string(answer.as_string()).rfind("200 ", 0), 0u) << answer.as_string();
  auto recorded = served.store().read_stream("User-from-browser");
  ASSERT_TRUE(recorded.ok());
  ASSERT_EQ(recorded->size(), 1u);
  EXPECT_EQ((*recorded)[0].payload.find("grace@example.org") != std::string::npos, true);
}

}  // namespace
}  // namespace esk::testing
