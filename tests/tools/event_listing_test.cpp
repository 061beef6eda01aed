#include "esk/cli/event_listing.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "esk/store/memory_store.hpp"

namespace esk::cli {
namespace {

// A memory store holding, in this order: A-1 v1 Created, B-1 v1 Created, A-1 v2 Renamed,
// A-1 v3 Renamed, B-1 v2 Renamed (positions 1..5).
class EventListing : public ::testing::Test {
 protected:
  void SetUp() override {
    append("A-1", 0, "Created");
    append("B-1", 0, "Created");
    append("A-1", 1, "Renamed");
    append("A-1", 2, "Renamed");
    append("B-1", 1, "Renamed");
  }

  void append(const std::string& stream, std::uint64_t expected, const std::string& type) {
    auto appended = store->append({stream, expected, {{type, "{}", {"id", "", "", "", "t"}}}});
    ASSERT_TRUE(appended) << appended.error_value();
  }

  // The positions `filter` visits, read `page_size` at a time.
  std::vector<std::uint64_t> positions(const event_filter& filter, std::size_t page_size = 2) {
    std::vector<std::uint64_t> visited;
    auto count = for_each_event(
        *store, filter, [&](const recorded_event& event) { visited.push_back(event.position); }, {},
        page_size);
    EXPECT_TRUE(count) << count.error_value();
    EXPECT_EQ(*count, visited.size());
    return visited;
  }

  std::shared_ptr<event_store> store = make_memory_store();
};

TEST_F(EventListing, VisitsTheWholeLogInPositionOrderAcrossPages) {
  EXPECT_EQ(positions({}), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(positions({}, 1), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(positions({}, 100), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
}

TEST_F(EventListing, FiltersByType) {
  event_filter renamed;
  renamed.type = "Renamed";
  EXPECT_EQ(positions(renamed), (std::vector<std::uint64_t>{3, 4, 5}));
}

TEST_F(EventListing, FiltersByStreamFromAGlobalPosition) {
  event_filter stream_a;
  stream_a.stream = "A-1";
  EXPECT_EQ(positions(stream_a), (std::vector<std::uint64_t>{1, 3, 4}));
  stream_a.from_position = 2;
  EXPECT_EQ(positions(stream_a), (std::vector<std::uint64_t>{3, 4}));
  stream_a.stream = "C-1";
  EXPECT_TRUE(positions(stream_a).empty());
}

TEST_F(EventListing, StartsAtFromAndStopsAtLimit) {
  event_filter window;
  window.from_position = 2;
  window.limit = 2;
  EXPECT_EQ(positions(window), (std::vector<std::uint64_t>{2, 3}));
  window.limit = 0;
  EXPECT_TRUE(positions(window).empty());
}

TEST_F(EventListing, ReportsEachPageToTheObserver) {
  std::vector<std::uint64_t> pages;
  auto count = for_each_event(
      *store, {}, [](const recorded_event&) {},
      [&](std::uint64_t position) { pages.push_back(position); }, 2);
  ASSERT_TRUE(count);
  EXPECT_EQ(pages, (std::vector<std::uint64_t>{2, 4, 5}));
}

TEST_F(EventListing, WritesOneJsonLinePerEvent) {
  std::ostringstream out;
  event_filter stream_b;
  stream_b.stream = "B-1";
  auto written = write_events(*store, stream_b, out);
  ASSERT_TRUE(written);
  EXPECT_EQ(*written, 2u);
  std::istringstream lines(out.str());
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line.rfind("{\"stream\":\"B-1\",\"version\":1,\"position\":2,\"type\":\"Created\"", 0),
            0u)
      << line;
}

TEST(EventFilter, ReadsStreamTypeFromAndLimitOptions) {
  auto args = arguments::parse({"--stream", "A-1", "--type", "T", "--from", "7", "--limit", "3"},
                               event_filter_options());
  ASSERT_TRUE(args);
  auto filter = event_filter_from(*args);
  ASSERT_TRUE(filter) << filter.error_value();
  EXPECT_EQ(filter->stream, "A-1");
  EXPECT_EQ(filter->type, "T");
  EXPECT_EQ(filter->from_position, 7u);
  EXPECT_EQ(filter->limit, 3u);
}

TEST(EventFilter, RejectsACountThatIsNotANumber) {
  auto args = arguments::parse({"--from", "first"}, event_filter_options());
  ASSERT_TRUE(args);
  auto filter = event_filter_from(*args);
  ASSERT_FALSE(filter);
  EXPECT_EQ(filter.kind(), error_kind::invalid_argument);
}

}  // namespace
}  // namespace esk::cli
