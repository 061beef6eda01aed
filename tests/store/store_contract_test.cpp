// The event_store contract, specified once and run against every backend.
#include <gtest/gtest.h>

#include <future>
#include <initializer_list>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "expect_same_event.hpp"
#include "store_backends.hpp"
#include "store_test_events.hpp"

namespace esk {
namespace {

using testing::make_event;
using testing::make_request;

template <class Backend>
class StoreContract : public testing::store_fixture<Backend> {};

TYPED_TEST_SUITE(StoreContract, testing::all_backends, testing::backend_name);

TYPED_TEST(StoreContract, AppendToNewStreamRecordsVersionsFromOne) {
  auto recorded = this->append_ok(make_request("Account-1", 0, 2));

  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[0].stream, "Account-1");
  EXPECT_EQ(recorded[0].version, 1u);
  EXPECT_EQ(recorded[1].version, 2u);
  EXPECT_EQ(recorded[0].position, 1u);
  EXPECT_EQ(recorded[1].position, 2u);
  EXPECT_EQ(*this->store->stream_version("Account-1"), 2u);
}

TYPED_TEST(StoreContract, VersionsAreGapFreeAcrossAppends) {
  this->append_ok(make_request("Account-1", 0, 2));
  this->append_ok(make_request("Account-1", 2, 3));

  auto events = this->read_stream("Account-1");
  ASSERT_EQ(events.size(), 5u);
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].version, i + 1);
}

TYPED_TEST(StoreContract, PositionsStrictlyIncreaseAcrossStreams) {
  this->append_ok(make_request("Account-1", 0, 2));
  this->append_ok(make_request("Account-2", 0, 1));
  this->append_ok(make_request("Account-1", 2, 1));

  auto events = this->read_all();
  ASSERT_EQ(events.size(), 4u);
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].position, i + 1);
  EXPECT_EQ(events[2].stream, "Account-2");
  EXPECT_EQ(events[3].stream, "Account-1");
  EXPECT_EQ(events[3].version, 3u);
}

TYPED_TEST(StoreContract, AppendWithStaleVersionIsAConflictAndWritesNothing) {
  this->append_ok(make_request("Account-1", 0, 2));

  auto stale = this->store->append(make_request("Account-1", 1, 3));

  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.kind(), error_kind::conflict);
  EXPECT_NE(stale.error_value().message.find("Account-1"), std::string::npos);
  EXPECT_NE(stale.error_value().message.find("expected version 1"), std::string::npos);
  EXPECT_NE(stale.error_value().message.find("at version 2"), std::string::npos);
  EXPECT_EQ(*this->store->stream_version("Account-1"), 2u);
  EXPECT_EQ(*this->store->last_position(), 2u);
}

TYPED_TEST(StoreContract, AppendExpectingAnExistingStreamToBeNewIsAConflict) {
  this->append_ok(make_request("Account-1", 0));

  auto duplicate = this->store->append(make_request("Account-1", 0));

  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.kind(), error_kind::conflict);
}

TYPED_TEST(StoreContract, BatchWithOneConflictingRequestCommitsTheOthers) {
  this->append_ok(make_request("Account-2", 0));

  auto results = this->store->append_batch(
      {make_request("Account-1", 0), make_request("Account-2", 0), make_request("Account-3", 0)});

  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok());
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].kind(), error_kind::conflict);
  ASSERT_TRUE(results[2].ok());
  EXPECT_EQ((*results[2])[0].position, 3u) << "the conflicting request used no position";
  EXPECT_EQ(*this->store->stream_version("Account-1"), 1u);
  EXPECT_EQ(*this->store->stream_version("Account-2"), 1u);
  EXPECT_EQ(*this->store->stream_version("Account-3"), 1u);
}

TYPED_TEST(StoreContract, BatchMayAppendTwiceToOneStream) {
  auto results =
      this->store->append_batch({make_request("Account-1", 0, 2), make_request("Account-1", 2, 1)});

  ASSERT_EQ(results.size(), 2u);
  ASSERT_TRUE(results[0].ok()) << results[0].error_value();
  ASSERT_TRUE(results[1].ok()) << results[1].error_value();
  EXPECT_EQ((*results[1])[0].version, 3u);
  EXPECT_EQ((*results[1])[0].position, 3u);
  EXPECT_EQ(this->read_stream("Account-1").size(), 3u);
}

TYPED_TEST(StoreContract, BatchRequestExpectingTheVersionBeforeAnEarlierRequestIsAConflict) {
  auto results =
      this->store->append_batch({make_request("Account-1", 0), make_request("Account-1", 0)});

  ASSERT_EQ(results.size(), 2u);
  EXPECT_TRUE(results[0].ok());
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].kind(), error_kind::conflict);
  EXPECT_EQ(*this->store->stream_version("Account-1"), 1u);
}

// A request whose strings are all past the small-string size (so a move really takes them),
// and the same whatever `stream` is, so that two streams can be compared event by event.
append_request long_request(const std::string& stream, std::uint64_t expected_version,
                            std::size_t count) {
  append_request request{stream, expected_version, {}};
  for (std::size_t i = 0; i < count; ++i) {
    const std::string tag = "a-tag-longer-than-a-small-string-" + std::to_string(i);
    request.events.push_back(
        make_event("SomethingWithALongTypeName", tag, "{\"text\":\"" + tag + tag + "\"}"));
  }
  return request;
}

TYPED_TEST(StoreContract, MovingBatchRecordsWhatTheCopyingBatchRecords) {
  // Stream names past the small-string size too: a backend may move them as well.
  const std::string copied_prefix = "Copied-a-stream-name-longer-than-a-small-string";
  const std::string moved_prefix = "Moved-a-stream-name-longer-than-a-small-string";
  this->append_ok(make_request(copied_prefix + "-2", 0));
  this->append_ok(make_request(moved_prefix + "-2", 0));
  const auto batch_on = [](const std::string& prefix) {
    // The second request conflicts (its stream exists): the others must commit all the same.
    return std::vector<append_request>{long_request(prefix + "-1", 0, 2),
                                       long_request(prefix + "-2", 0, 1),
                                       long_request(prefix + "-3", 0, 1)};
  };

  auto copied = this->store->append_batch(batch_on(copied_prefix));
  auto moved = this->store->append_batch_moving(batch_on(moved_prefix));

  ASSERT_EQ(copied.size(), 3u);
  ASSERT_EQ(moved.size(), 3u);
  ASSERT_FALSE(moved[1].ok());
  EXPECT_EQ(moved[1].kind(), error_kind::conflict);
  EXPECT_NE(moved[1].error_value().message.find(moved_prefix + "-2"), std::string::npos);
  const std::uint64_t copied_events = 3;
  for (std::size_t i : {0u, 2u}) {
    ASSERT_TRUE(copied[i].ok()) << copied[i].error_value();
    ASSERT_TRUE(moved[i].ok()) << moved[i].error_value();
    const std::string stream = moved_prefix + "-" + std::to_string(i + 1);
    const auto stored = this->read_stream(stream);
    ASSERT_EQ(moved[i]->size(), copied[i]->size());
    ASSERT_EQ(stored.size(), copied[i]->size());
    for (std::size_t j = 0; j < moved[i]->size(); ++j) {
      // The copied event, on the moved stream and after the copied batch's positions.
      recorded_event expected = (*copied[i])[j];
      expected.stream = stream;
      expected.position += copied_events;
      for (const recorded_event* actual :
           std::initializer_list<const recorded_event*>{&(*moved[i])[j], &stored[j]})
        testing::expect_same_event(*actual, expected);
    }
  }
  EXPECT_EQ(*this->store->stream_version(moved_prefix + "-2"), 1u);
  EXPECT_EQ(*this->store->last_position(), 2 + 2 * copied_events);
}

TYPED_TEST(StoreContract, MovingBatchIntoAVectorReplacesWhatTheVectorHeld) {
  this->append_ok(make_request("Account-2", 0));
  std::vector<result<std::vector<recorded_event>>> results;
  for (int stale = 0; stale < 3; ++stale)  // what an earlier batch left in the caller's vector
    results.emplace_back(error{error_kind::store_unavailable, "an earlier batch"});
  std::vector<append_request> batch{make_request("Account-1", 0, 2), make_request("Account-2", 0)};

  this->store->append_batch_moving_into(std::move(batch), results);

  ASSERT_EQ(results.size(), 2u);
  ASSERT_TRUE(results[0].ok()) << results[0].error_value();
  ASSERT_EQ(results[0]->size(), 2u);
  EXPECT_EQ((*results[0])[1].version, 2u);
  EXPECT_EQ((*results[0])[1].position, 3u);
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].kind(), error_kind::conflict);
  EXPECT_EQ(this->read_stream("Account-1").size(), 2u);
}

TYPED_TEST(StoreContract, ReadStreamStartsAtVersionAndStopsAtLimit) {
  this->append_ok(make_request("Account-1", 0, 5));
  this->append_ok(make_request("Account-2", 0, 2));

  auto events = this->read_stream("Account-1", 2, 3);

  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].version, 2u);
  EXPECT_EQ(events[2].version, 4u);
  EXPECT_EQ(this->read_stream("Account-1", 5).size(), 1u);
  EXPECT_TRUE(this->read_stream("Account-1", 6).empty());
}

TYPED_TEST(StoreContract, ReadStreamOfUnknownStreamIsEmpty) {
  EXPECT_TRUE(this->read_stream("Nobody-1").empty());
  EXPECT_EQ(*this->store->stream_version("Nobody-1"), 0u);
}

TYPED_TEST(StoreContract, ReadAllWithoutALimitReadsOnePageNotTheWholeLog) {
  this->append_ok(make_request("Account-1", 0, default_read_limit + 1));

  auto first_page = this->store->read_all();
  auto next_page = this->store->read_all(default_read_limit + 1);

  ASSERT_TRUE(first_page.ok()) << first_page.error_value();
  ASSERT_EQ(first_page->size(), default_read_limit);
  EXPECT_EQ(first_page->back().position, default_read_limit);
  ASSERT_TRUE(next_page.ok()) << next_page.error_value();
  ASSERT_EQ(next_page->size(), 1u);
  EXPECT_EQ(next_page->front().position, default_read_limit + 1);
}

TYPED_TEST(StoreContract, ReadAllStartsAtPositionAndStopsAtLimit) {
  this->append_ok(make_request("Account-1", 0, 3));
  this->append_ok(make_request("Account-2", 0, 3));

  auto events = this->read_all(3, 2);

  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].position, 3u);
  EXPECT_EQ(events[0].stream, "Account-1");
  EXPECT_EQ(events[1].position, 4u);
  EXPECT_EQ(events[1].stream, "Account-2");
  EXPECT_TRUE(this->read_all(7).empty());
}

TYPED_TEST(StoreContract, ListStreamsIsOrderedByNameWithVersionAndLastPosition) {
  this->append_ok(make_request("Order-7", 0, 2));
  this->append_ok(make_request("Account-1", 0, 1));
  this->append_ok(make_request("Order-7", 2, 1));

  auto streams = this->store->list_streams();

  ASSERT_TRUE(streams.ok()) << streams.error_value();
  ASSERT_EQ(streams->size(), 2u);
  EXPECT_EQ((*streams)[0].stream, "Account-1");
  EXPECT_EQ((*streams)[0].version, 1u);
  EXPECT_EQ((*streams)[0].last_position, 3u);
  EXPECT_EQ((*streams)[1].stream, "Order-7");
  EXPECT_EQ((*streams)[1].version, 3u);
  EXPECT_EQ((*streams)[1].last_position, 4u);
}

TYPED_TEST(StoreContract, ListStreamsPagesByNameFromANameInclusive) {
  for (const char* name : {"b", "a-2", "c", "a-1", "B", "a-10"})
    this->append_ok(make_request(name, 0, 1));
  const auto names = [&](const std::string& from, std::size_t limit) {
    auto page = this->store->list_streams(from, limit);
    EXPECT_TRUE(page.ok()) << page.error_value();
    std::vector<std::string> listed;
    if (page)
      for (const auto& stream : *page) listed.push_back(stream.stream);
    return listed;
  };

  // Byte order: upper case before lower case, "a-10" before "a-2".
  EXPECT_EQ(names("", 3), (std::vector<std::string>{"B", "a-1", "a-10"}));
  EXPECT_EQ(names("a-10", 3), (std::vector<std::string>{"a-10", "a-2", "b"}));
  EXPECT_EQ(names("a-3", 10), (std::vector<std::string>{"b", "c"}));
  EXPECT_TRUE(names("d", 10).empty());
  EXPECT_EQ(names("", 100).size(), 6u);
  auto versions = this->store->list_streams("c", 1);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ((*versions)[0].version, 1u);
  EXPECT_EQ((*versions)[0].last_position, 3u);
}

TYPED_TEST(StoreContract, LastPositionIsZeroWhenEmptyAndTheLastCommittedEventAfterAppends) {
  EXPECT_EQ(*this->store->last_position(), 0u);

  this->append_ok(make_request("Account-1", 0, 3));
  this->append_ok(make_request("Account-2", 0, 1));

  EXPECT_EQ(*this->store->last_position(), 4u);
}

TYPED_TEST(StoreContract, AppendToEmptyStreamNameIsInvalidArgument) {
  auto appended = this->store->append(make_request("", 0));

  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.kind(), error_kind::invalid_argument);
  EXPECT_EQ(*this->store->last_position(), 0u);
}

TYPED_TEST(StoreContract, AppendWithoutEventsIsInvalidArgument) {
  auto appended = this->store->append(make_request("Account-1", 0, 0));

  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.kind(), error_kind::invalid_argument);
  EXPECT_NE(appended.error_value().message.find("Account-1"), std::string::npos);
  EXPECT_TRUE(this->store->list_streams()->empty());
}

TYPED_TEST(StoreContract, InvalidRequestInBatchFailsAloneAndTheOthersCommit) {
  auto results = this->store->append_batch({make_request("", 0), make_request("Account-1", 0)});

  ASSERT_EQ(results.size(), 2u);
  ASSERT_FALSE(results[0].ok());
  EXPECT_EQ(results[0].kind(), error_kind::invalid_argument);
  EXPECT_TRUE(results[1].ok());
}

TYPED_TEST(StoreContract, EventTypePayloadAndMetadataRoundTrip) {
  new_event full = make_event("Deposited", "42", R"({"amount":125,"note":"caf\u00e9 \"x\""})");
  new_event sparse{"Opened", "{}",
                   event_metadata{"event-43", "", "", "", "2026-01-01T00:00:00.000Z"}};
  this->append_ok(append_request{"Account-1", 0, {full, sparse}});

  auto events = this->read_stream("Account-1");

  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, "Deposited");
  EXPECT_EQ(events[0].payload, full.payload);
  EXPECT_EQ(events[0].metadata.event_id, "event-42");
  EXPECT_EQ(events[0].metadata.command_id, "command-42");
  EXPECT_EQ(events[0].metadata.correlation_id, "correlation-42");
  EXPECT_EQ(events[0].metadata.causation_id, "cause-42");
  EXPECT_EQ(events[0].metadata.recorded_at, "2026-11-25T17:07:34.123Z");
  EXPECT_EQ(events[1].type, "Opened");
  EXPECT_EQ(events[1].metadata.event_id, "event-43");
  EXPECT_EQ(events[1].metadata.command_id, "");
  EXPECT_EQ(events[1].metadata.recorded_at, "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(this->read_all()[0].metadata.causation_id, "cause-42");
}

TYPED_TEST(StoreContract, ConcurrentAppendsExpectingTheSameVersionHaveExactlyOneWinner) {
  constexpr int contenders = 4;
  std::promise<void> start;
  std::shared_future<void> started = start.get_future().share();
  std::vector<std::future<result<std::vector<recorded_event>>>> outcomes;
  for (int i = 0; i < contenders; ++i) {
    outcomes.push_back(std::async(std::launch::async, [&, started] {
      started.wait();
      return this->store->append(make_request("Account-1", 0));
    }));
  }

  start.set_value();

  int winners = 0;
  for (auto& outcome : outcomes) {
    auto appended = outcome.get();
    if (appended.ok()) {
      ++winners;
    } else {
      EXPECT_EQ(appended.kind(), error_kind::conflict) << appended.error_value();
    }
  }
  EXPECT_EQ(winners, 1);
  EXPECT_EQ(*this->store->stream_version("Account-1"), 1u);
}

// Snapshots: the last one written per stream, read back exactly as written.

snapshot make_snapshot(const std::string& stream, std::uint64_t version, int schema_version,
                       const std::string& state) {
  return {stream, version, schema_version, state, "2026-11-25T17:07:34.123Z"};
}

void expect_same_snapshot(const std::optional<snapshot>& found, const snapshot& expected) {
  ASSERT_TRUE(found.has_value()) << "no snapshot of " << expected.stream;
  EXPECT_EQ(found->stream, expected.stream);
  EXPECT_EQ(found->version, expected.version);
  EXPECT_EQ(found->schema_version, expected.schema_version);
  EXPECT_EQ(found->state, expected.state);
  EXPECT_EQ(found->taken_at, expected.taken_at);
}

TYPED_TEST(StoreContract, StreamWithoutSnapshotReadsNone) {
  this->append_ok(make_request("Account-1", 0, 3));

  auto found = this->store->read_snapshot("Account-1");

  ASSERT_TRUE(found.ok()) << found.error_value();
  EXPECT_FALSE(found->has_value());
}

TYPED_TEST(StoreContract, WrittenSnapshotReadsBackAsWritten) {
  this->append_ok(make_request("Account-1", 0, 3));
  const snapshot taken = make_snapshot("Account-1", 3, 1, R"({"balance":30})");

  ASSERT_TRUE(this->store->write_snapshot(taken).ok());
  auto found = this->store->read_snapshot("Account-1");

  ASSERT_TRUE(found.ok()) << found.error_value();
  expect_same_snapshot(*found, taken);
}

TYPED_TEST(StoreContract, LaterSnapshotReplacesTheEarlierOneWhateverItsSchema) {
  this->append_ok(make_request("Account-1", 0, 5));
  ASSERT_TRUE(this->store->write_snapshot(make_snapshot("Account-1", 3, 1, "{}")).ok());
  const snapshot later = make_snapshot("Account-1", 5, 2, R"({"cents":50})");

  ASSERT_TRUE(this->store->write_snapshot(later).ok());
  auto found = this->store->read_snapshot("Account-1");

  ASSERT_TRUE(found.ok()) << found.error_value();
  expect_same_snapshot(*found, later);
}

TYPED_TEST(StoreContract, SnapshotsAreKeptPerStreamAndLeaveTheLogUnchanged) {
  this->append_ok(make_request("Account-1", 0, 2));
  this->append_ok(make_request("Account-2", 0, 1));
  const snapshot first = make_snapshot("Account-1", 2, 1, R"({"n":1})");
  const snapshot second = make_snapshot("Account-2", 1, 1, R"({"n":2})");

  ASSERT_TRUE(this->store->write_snapshot(first).ok());
  ASSERT_TRUE(this->store->write_snapshot(second).ok());

  expect_same_snapshot(*this->store->read_snapshot("Account-1"), first);
  expect_same_snapshot(*this->store->read_snapshot("Account-2"), second);
  EXPECT_EQ(this->read_all().size(), 3u);
  EXPECT_EQ(*this->store->last_position(), 3u);
}

TYPED_TEST(StoreContract, SnapshotWithoutStreamOrVersionIsInvalid) {
  auto no_stream = this->store->write_snapshot(make_snapshot("", 1, 1, "{}"));
  auto no_version = this->store->write_snapshot(make_snapshot("Account-1", 0, 1, "{}"));

  ASSERT_FALSE(no_stream.ok());
  EXPECT_EQ(no_stream.kind(), error_kind::invalid_argument);
  ASSERT_FALSE(no_version.ok());
  EXPECT_EQ(no_version.kind(), error_kind::invalid_argument);
  EXPECT_FALSE(this->store->read_snapshot("Account-1")->has_value());
}

TYPED_TEST(StoreContract, ProjectionWithoutCheckpointReadsZero) {
  auto found = this->store->read_checkpoint("users_by_email");

  ASSERT_TRUE(found.ok()) << found.error_value();
  EXPECT_EQ(*found, 0u);
}

TYPED_TEST(StoreContract, SavedCheckpointReadsBackPerProjectionAndTheLaterReplacesIt) {
  ASSERT_TRUE(this->store->save_checkpoint("users_by_email", 3).ok());
  ASSERT_TRUE(this->store->save_checkpoint("orders", 7).ok());
  ASSERT_TRUE(this->store->save_checkpoint("users_by_email", 5).ok());

  EXPECT_EQ(*this->store->read_checkpoint("users_by_email"), 5u);
  EXPECT_EQ(*this->store->read_checkpoint("orders"), 7u);
  EXPECT_EQ(*this->store->last_position(), 0u) << "a checkpoint is not an event";
}

TYPED_TEST(StoreContract, CheckpointWithoutProjectionNameIsInvalid) {
  auto saved = this->store->save_checkpoint("", 1);

  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.kind(), error_kind::invalid_argument);
}

}  // namespace
}  // namespace esk
