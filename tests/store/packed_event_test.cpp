// What the in-memory store's compact log (packed_event.hpp) promises: an event packed into
// one buffer unpacks to exactly the event that was recorded, field by field.
#include "packed_event.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "esk/store/memory_store.hpp"
#include "expect_same_event.hpp"
#include "store_test_events.hpp"

namespace esk {
namespace {

using testing::expect_same_event;

TEST(PackedEvent, UnpacksEveryFieldAsPacked) {
  const std::string stream = "User-7";
  const new_event event{"UserRenamed",
                        "{\"name\":\"a long enough name to leave the small-string buffer\"}",
                        {"e1", "c22", "r333", "k4444", "2026-11-26T05:40:00.123Z"}};
  const packed_event packed(&stream, 3, 42, event);
  EXPECT_EQ(packed.version(), 3u);
  EXPECT_EQ(packed.position(), 42u);
  expect_same_event(packed.unpack(), {stream, 3, 42, event.type, event.payload, event.metadata});
}

TEST(PackedEvent, KeepsEmptyFieldsEmptyAndInPlace) {
  const std::string stream = "S";
  const new_event event{"T", "", {"", "command", "", "cause", ""}};
  expect_same_event(packed_event(&stream, 1, 1, event).unpack(),
                    {stream, 1, 1, "T", "", {"", "command", "", "cause", ""}});
}

TEST(MemoryStore, ReadsEveryVersionOfStreamsOfOneEventAndOfMany) {
  auto store = make_memory_store();
  const std::vector<std::string> streams = {"One-1",     "Two-2",       "Three-3",
                                            "Sixteen-4", "Seventeen-5", "Many-6"};
  const std::vector<std::uint64_t> lengths = {1, 2, 3, 16, 17, 40};
  std::vector<std::vector<recorded_event>> appended(streams.size());
  // Interleaved, so no stream's events are neighbours in the log.
  for (std::uint64_t version = 0; version < 40; ++version) {
    for (std::size_t s = 0; s < streams.size(); ++s) {
      if (version >= lengths[s]) continue;
      auto outcome = store->append_batch({testing::make_request(streams[s], version, 1)});
      ASSERT_TRUE(outcome[0]);
      appended[s].push_back(outcome[0]->front());
    }
  }
  for (std::size_t s = 0; s < streams.size(); ++s) {
    auto version = store->stream_version(streams[s]);
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, lengths[s]);
    for (std::uint64_t from = 1; from <= lengths[s]; ++from) {
      auto read = store->read_stream(streams[s], from, 100);
      ASSERT_TRUE(read);
      ASSERT_EQ(read->size(), lengths[s] - from + 1) << streams[s] << " from " << from;
      for (std::size_t i = 0; i < read->size(); ++i)
        expect_same_event((*read)[i], appended[s][from - 1 + i]);
    }
  }
  auto listed = store->list_streams("", 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), streams.size());
  for (const stream_info& info : *listed) {
    const std::size_t s = static_cast<std::size_t>(
        std::find(streams.begin(), streams.end(), info.stream) - streams.begin());
    ASSERT_LT(s, streams.size());
    EXPECT_EQ(info.version, lengths[s]);
    EXPECT_EQ(info.last_position, appended[s].back().position);
  }
}

TEST(MemoryStore, ReadsGiveBackTheEventsTheAppendRecorded) {
  auto store = make_memory_store();
  auto first =
      store->append_batch({testing::make_request("A-1", 0, 2), testing::make_request("B-2", 0, 1)});
  auto second = store->append_batch({testing::make_request("A-1", 2, 1)});
  ASSERT_TRUE(first[0] && first[1] && second[0]);
  std::vector<recorded_event> appended = *first[0];
  appended.insert(appended.end(), first[1]->begin(), first[1]->end());
  appended.insert(appended.end(), second[0]->begin(), second[0]->end());

  auto all = store->read_all(1, 100);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), appended.size());
  for (std::size_t i = 0; i < appended.size(); ++i) expect_same_event((*all)[i], appended[i]);

  auto stream = store->read_stream("A-1", 1, 100);
  ASSERT_TRUE(stream);
  ASSERT_EQ(stream->size(), 3u);
  expect_same_event((*stream)[0], appended[0]);
  expect_same_event((*stream)[1], appended[1]);
  expect_same_event((*stream)[2], appended[3]);
}

}  // namespace
}  // namespace esk
