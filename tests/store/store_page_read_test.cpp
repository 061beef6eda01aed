// The event_store contract of the reads into a caller's page (read_all_into, read_stream_into)
// and of the rehydration reads (read_stream_to_rehydrate and its paged form,
// read_stream_to_rehydrate_into), run against every backend: they read
// exactly what read_all and read_stream read, whatever the page held before.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "expect_same_event.hpp"
#include "store_backends.hpp"
#include "store_test_events.hpp"

namespace esk {
namespace {

using testing::expect_same_event;

using testing::make_event;
using testing::make_request;

template <class Backend>
class StorePageRead : public testing::store_fixture<Backend> {
 protected:
  // Five events in two streams, with distinct types, payloads and metadata; the fourth has no
  // command, correlation or causation ID (stored as NULL by the SQL backends).
  void append_log() {
    this->append_ok(
        {"Account-1",
         0,
         {make_event("Opened", "a", R"({"owner":"a long owner name, longer than most"})"),
          make_event("Deposited", "b", R"({"amount":10})")}});
    this->append_ok({"Account-2", 0, {make_event("Opened", "c", R"({"owner":"c"})")}});
    new_event bare{"Closed", "{}", {"event-d", "", "", "", "2026-11-25T17:07:35.000Z"}};
    this->append_ok({"Account-1", 2, {bare, make_event("Reopened", "e")}});
  }

  // A page whose five events hold long strings in every field, so that a read overwriting it
  // must shorten them all and may not keep any of it.
  static std::vector<recorded_event> stale_page() {
    const std::string stale(200, 'x');
    return std::vector<recorded_event>(
        5, recorded_event{stale, 99, 99, stale, stale, {stale, stale, stale, stale, stale}});
  }
};

TYPED_TEST_SUITE(StorePageRead, testing::all_backends, testing::backend_name);

void expect_same_events(const std::vector<recorded_event>& actual,
                        const std::vector<recorded_event>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    SCOPED_TRACE("event " + std::to_string(i));
    expect_same_event(actual[i], expected[i]);
  }
}

TYPED_TEST(StorePageRead, ReadAllIntoOneReusedPageReadsWhatReadAllReads) {
  this->append_log();
  std::vector<recorded_event> page = this->stale_page();
  std::vector<recorded_event> read;

  for (std::uint64_t from = 1;;) {
    ASSERT_TRUE(this->store->read_all_into(page, from, 2).ok());
    if (page.empty()) break;
    ASSERT_LE(page.size(), 2u);
    read.insert(read.end(), page.begin(), page.end());
    from = page.back().position + 1;
  }

  expect_same_events(read, this->read_all());
}

TYPED_TEST(StorePageRead, ReadAllIntoStartsAtPositionStopsAtLimitAndDropsTheRestOfThePage) {
  this->append_log();
  std::vector<recorded_event> page = this->stale_page();

  ASSERT_TRUE(this->store->read_all_into(page, 3, 2).ok());

  expect_same_events(page, this->read_all(3, 2));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].position, 3u);
  EXPECT_EQ(page[1].metadata.command_id, "") << "a missing command ID reads as empty";
}

TYPED_TEST(StorePageRead, ReadAllIntoPastTheLastPositionLeavesAnEmptyPage) {
  this->append_log();
  std::vector<recorded_event> page = this->stale_page();

  ASSERT_TRUE(this->store->read_all_into(page, 6).ok());

  EXPECT_TRUE(page.empty());
}

TYPED_TEST(StorePageRead, ReadStreamIntoOneReusedPageReadsWhatReadStreamReads) {
  this->append_log();
  std::vector<recorded_event> page = this->stale_page();

  ASSERT_TRUE(this->store->read_stream_into(page, "Account-1", 2, 2).ok());
  expect_same_events(page, this->read_stream("Account-1", 2, 2));
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].version, 2u);

  ASSERT_TRUE(this->store->read_stream_into(page, "Account-1").ok());
  expect_same_events(page, this->read_stream("Account-1"));
  EXPECT_EQ(page.size(), 4u);

  ASSERT_TRUE(this->store->read_stream_into(page, "Account-3").ok());
  EXPECT_TRUE(page.empty()) << "a stream that does not exist reads as empty";
}

TYPED_TEST(StorePageRead, ReadStreamToRehydrateReadsWhatApplyingAndCommandsNeed) {
  this->append_log();

  auto read = this->store->read_stream_to_rehydrate("Account-1", 2);

  ASSERT_TRUE(read.ok()) << read.error_value();
  const auto expected = this->read_stream("Account-1", 2);
  ASSERT_EQ(read->size(), expected.size());
  ASSERT_EQ(read->size(), 3u);
  for (std::size_t i = 0; i < read->size(); ++i) {
    SCOPED_TRACE("event " + std::to_string(i));
    EXPECT_EQ((*read)[i].stream, expected[i].stream);
    EXPECT_EQ((*read)[i].version, expected[i].version);
    EXPECT_EQ((*read)[i].position, expected[i].position);
    EXPECT_EQ((*read)[i].type, expected[i].type);
    EXPECT_EQ((*read)[i].payload, expected[i].payload);
    EXPECT_EQ((*read)[i].metadata.command_id, expected[i].metadata.command_id);
  }
}

TYPED_TEST(StorePageRead, ReadStreamToRehydrateOfUnknownStreamOrPastItsEndIsEmpty) {
  this->append_log();

  auto unknown = this->store->read_stream_to_rehydrate("Account-3");
  auto past_end = this->store->read_stream_to_rehydrate("Account-2", 2);

  ASSERT_TRUE(unknown.ok()) << unknown.error_value();
  EXPECT_TRUE(unknown->empty());
  ASSERT_TRUE(past_end.ok()) << past_end.error_value();
  EXPECT_TRUE(past_end->empty());
}

TYPED_TEST(StorePageRead, ReadStreamToRehydrateIntoOneReusedPageReadsThePagesInOrder) {
  this->append_log();
  std::vector<recorded_event> page = this->stale_page();
  std::vector<recorded_event> read;
  std::vector<std::size_t> page_sizes;

  for (std::uint64_t from = 1;;) {
    ASSERT_TRUE(this->store->read_stream_to_rehydrate_into(page, "Account-1", from, 3).ok());
    page_sizes.push_back(page.size());
    read.insert(read.end(), page.begin(), page.end());
    if (page.size() < 3) break;
    from = page.back().version + 1;
  }

  EXPECT_EQ(page_sizes, (std::vector<std::size_t>{3, 1})) << "a short page is the end";
  const auto expected = this->read_stream("Account-1");
  ASSERT_EQ(read.size(), expected.size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    SCOPED_TRACE("event " + std::to_string(i));
    EXPECT_EQ(read[i].stream, expected[i].stream);
    EXPECT_EQ(read[i].version, expected[i].version);
    EXPECT_EQ(read[i].position, expected[i].position);
    EXPECT_EQ(read[i].type, expected[i].type);
    EXPECT_EQ(read[i].payload, expected[i].payload);
    EXPECT_EQ(read[i].metadata.command_id, expected[i].metadata.command_id);
  }
}

TYPED_TEST(StorePageRead, ReadStreamToRehydrateIntoOfUnknownStreamOrPastItsEndEmptiesThePage) {
  this->append_log();
  std::vector<recorded_event> unknown = this->stale_page();
  std::vector<recorded_event> past_end = this->stale_page();

  ASSERT_TRUE(this->store->read_stream_to_rehydrate_into(unknown, "Account-3", 1, 3).ok());
  ASSERT_TRUE(this->store->read_stream_to_rehydrate_into(past_end, "Account-2", 2, 3).ok());

  EXPECT_TRUE(unknown.empty());
  EXPECT_TRUE(past_end.empty());
}

}  // namespace
}  // namespace esk
