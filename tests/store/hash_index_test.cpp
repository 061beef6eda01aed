// What the kit's flat hash index (core/internal/esk/hash_index.hpp) promises: every indexed
// entry is found by its hash and key, whatever the hashes collide on, and erasing one entry
// never hides another. The memory store and the router's live aggregates rely on it.
#include "esk/hash_index.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "esk/store/memory_store.hpp"
#include "store_test_events.hpp"

namespace esk {
namespace {

struct named {
  std::string name;
  std::uint64_t hash;
};

named* find(const hash_index<named>& index, const named& key) {
  return index.find(key.hash, [&](const named& entry) { return entry.name == key.name; });
}

// `count` entries whose hashes take only `distinct_hashes` values, so most of them collide.
std::deque<named> colliding_entries(std::size_t count, std::uint64_t distinct_hashes) {
  std::deque<named> entries;
  for (std::size_t i = 0; i < count; ++i)
    entries.push_back({"id-" + std::to_string(i), (i % distinct_hashes) * 0x1234567ULL});
  return entries;
}

TEST(HashIndex, FindsEveryEntryWhenAllHashesAreEqual) {
  auto entries = colliding_entries(500, 1);
  hash_index<named> index;
  for (auto& entry : entries) index.insert(entry.hash, &entry);
  ASSERT_EQ(index.size(), entries.size());
  for (const auto& entry : entries) EXPECT_EQ(find(index, entry), &entry) << entry.name;
  EXPECT_EQ(find(index, named{"id-500", 0}), nullptr);
}

TEST(HashIndex, ErasingNeverHidesTheOthers) {
  // Few distinct hashes make long probe runs that wrap around the table's end.
  auto entries = colliding_entries(300, 7);
  hash_index<named> index;
  for (auto& entry : entries) index.insert(entry.hash, &entry);
  std::vector<bool> erased(entries.size(), false);
  // Erase in a scattered order, checking every entry after each erase.
  for (std::size_t step = 0; step < entries.size(); ++step) {
    const std::size_t victim = (step * 97) % entries.size();
    ASSERT_TRUE(index.erase(entries[victim].hash, &entries[victim]));
    erased[victim] = true;
    for (std::size_t i = 0; i < entries.size(); ++i)
      ASSERT_EQ(find(index, entries[i]), erased[i] ? nullptr : &entries[i])
          << entries[i].name << " after erasing " << step + 1;
  }
  EXPECT_EQ(index.size(), 0u);
  EXPECT_FALSE(index.erase(entries[0].hash, &entries[0]));
}

TEST(HashIndex, FindsEntriesReinsertedAfterErasure) {
  auto entries = colliding_entries(64, 3);
  hash_index<named> index;
  for (auto& entry : entries) index.insert(entry.hash, &entry);
  for (std::size_t i = 0; i < entries.size(); i += 2) index.erase(entries[i].hash, &entries[i]);
  for (std::size_t i = 0; i < entries.size(); i += 2) index.insert(entries[i].hash, &entries[i]);
  for (const auto& entry : entries) EXPECT_EQ(find(index, entry), &entry) << entry.name;
}

TEST(MemoryStore, KeepsTenThousandStreamsApart) {
  auto store = make_memory_store();
  constexpr std::uint64_t streams = 10000;
  // Version v of each stream, one batch per round: the index grows while events point at names.
  for (std::uint64_t version = 0; version < 3; ++version) {
    std::vector<append_request> requests;
    for (std::uint64_t i = 0; i < streams; ++i)
      requests.push_back(testing::make_request("User-u" + std::to_string(i), version, 1));
    for (auto& appended : store->append_batch(requests)) ASSERT_TRUE(appended.ok());
  }
  for (std::uint64_t i = 0; i < streams; i += 997) {
    const std::string stream = "User-u" + std::to_string(i);
    auto read = store->read_stream(stream, 1, 10);
    ASSERT_TRUE(read.ok());
    ASSERT_EQ(read->size(), 3u);
    EXPECT_EQ(read->back().stream, stream);
    EXPECT_EQ(read->back().version, 3u);
    EXPECT_EQ(read->back().position, 2 * streams + i + 1);
  }
  auto listed = store->list_streams("", 2 * streams);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), streams);
  EXPECT_EQ(store->stream_version("User-u10000").value(), 0u);
}

}  // namespace
}  // namespace esk
