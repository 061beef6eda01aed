// What the in-memory store's compact log (packed_event.hpp) promises: an event packed into
// one buffer unpacks to exactly the event that was recorded, field by field.
#include "packed_event.hpp"

#include <gtest/gtest.h>

#include <string>

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
