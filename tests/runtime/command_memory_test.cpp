// What an aggregate actor's command memory (actors/src/command_memory.hpp) promises: it finds
// the span of each of the last `capacity` command IDs that recorded events, the first span
// of an ID sent again, and nothing older, whether it scans a few IDs or indexes many.
#include "command_memory.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "recent_commands.hpp"

namespace esk::actors {
namespace {

std::string id(std::size_t number) {
  return "command-" + std::to_string(number) + "-0123456789abcdef";
}

// Remembers `count` commands (command i recorded version i + 1), then expects exactly the
// last `capacity` of them to be found, each with its own span.
void expect_only_the_newest_remembered(std::size_t capacity, std::size_t count) {
  command_memory memory{capacity};
  for (std::size_t i = 0; i < count; ++i) memory.remember(id(i), {i + 1, 1});
  for (std::size_t i = 0; i < count; ++i) {
    const auto found = memory.find(id(i));
    if (i + capacity < count) {
      EXPECT_FALSE(found) << "command " << i << " of " << count << ", capacity " << capacity;
    } else {
      ASSERT_TRUE(found) << "command " << i << " of " << count << ", capacity " << capacity;
      EXPECT_EQ(found->first_version, i + 1);
      EXPECT_EQ(found->count, 1u);
    }
  }
}

TEST(CommandMemory, FindsTheSpanARememberedCommandRecorded) {
  command_memory memory{10};
  memory.remember("a", {3, 2});

  const auto found = memory.find("a");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->first_version, 3u);
  EXPECT_EQ(found->count, 2u);
  EXPECT_FALSE(memory.find("b"));
}

TEST(CommandMemory, AnIdRememberedTwiceKeepsItsFirstSpan) {
  command_memory memory{10};
  memory.remember("a", {3, 2});
  memory.remember("a", {9, 1});

  EXPECT_EQ(memory.find("a")->first_version, 3u);
}

TEST(CommandMemory, FewCommandsForgetTheOldestBeyondCapacity) {
  expect_only_the_newest_remembered(3, 10);
}

TEST(CommandMemory, ManyCommandsForgetTheOldestBeyondCapacity) {
  expect_only_the_newest_remembered(100, 1000);  // wraps the ring ten times through its index
  expect_only_the_newest_remembered(1000, 700);  // never full: the index grows
}

TEST(CommandMemory, IdsAroundTheInlineLengthAreToldApartAndReplaceOneAnother) {
  // Each ID a prefix of the next: 31, 32 and 33 characters border the 32 kept inline.
  const std::string x31(31, 'x'), x32(32, 'x'), x33(33, 'x'), x64(64, 'x');
  command_memory memory{4};
  memory.remember(x31, {1, 1});
  memory.remember(x32, {2, 1});
  memory.remember(x33, {3, 1});
  memory.remember(x64, {4, 1});
  EXPECT_EQ(memory.find(x31)->first_version, 1u);
  EXPECT_EQ(memory.find(x32)->first_version, 2u);
  EXPECT_EQ(memory.find(x33)->first_version, 3u);
  EXPECT_EQ(memory.find(x64)->first_version, 4u);
  EXPECT_FALSE(memory.find(std::string(34, 'x')));
  EXPECT_FALSE(memory.find(std::string(30, 'x')));

  // A full ring: a short ID takes a long one's slot and the other way round.
  command_memory ring{2};
  ring.remember(x64, {1, 1});
  ring.remember(x31, {2, 1});
  ring.remember(x33, {3, 1});  // in x64's slot
  ring.remember(x32, {4, 1});  // in x31's slot
  EXPECT_FALSE(ring.find(x64));
  EXPECT_FALSE(ring.find(x31));
  EXPECT_EQ(ring.find(x33)->first_version, 3u);
  EXPECT_EQ(ring.find(x32)->first_version, 4u);
}

TEST(CommandMemory, NoCapacityOrNoIdRemembersNothing) {
  command_memory off{0};
  off.remember("a", {1, 1});
  EXPECT_FALSE(off.find("a"));
  EXPECT_FALSE(off.enabled());

  command_memory on{10};
  on.remember("", {1, 1});
  EXPECT_FALSE(on.find(""));
}

TEST(CommandMemory, RecentCommandsFillItWithTheLastCommandsOfTheStream) {
  auto event = [](const std::string& command_id, std::uint64_t version) {
    recorded_event recorded{"S", version, version, "T", "{}", {}};
    recorded.metadata.command_id = command_id;
    return recorded;
  };
  const std::vector<recorded_event> stream = {event(id(1), 1), event(id(2), 2), event(id(2), 3),
                                              event(id(3), 4)};
  command_memory memory{2};
  memory.remember(id(9), {7, 1});
  recent_commands recent{2};

  for (const auto& recorded : stream) recent.add(recorded);
  recent.fill(memory);

  EXPECT_FALSE(memory.find(id(9)));
  EXPECT_FALSE(memory.find(id(1)));
  ASSERT_TRUE(memory.find(id(2)));
  EXPECT_EQ(memory.find(id(2))->first_version, 2u);
  EXPECT_EQ(memory.find(id(2))->count, 2u);
  EXPECT_EQ(memory.find(id(3))->first_version, 4u);
}

TEST(CommandMemory, RecentCommandsKeepTheLastCommandsOfALongStreamWithTheirSpans) {
  command_memory memory{3};
  recent_commands recent{3};
  std::uint64_t version = 0;
  for (std::size_t command = 1; command <= 10; ++command)
    for (std::size_t event = 0; event < command % 3 + 1; ++event) {
      recorded_event recorded{"S", ++version, version, "T", "{}", {}};
      recorded.metadata.command_id = id(command);
      recent.add(recorded);
    }

  recent.fill(memory);

  EXPECT_FALSE(memory.find(id(7)));
  ASSERT_TRUE(memory.find(id(8)));
  ASSERT_TRUE(memory.find(id(9)));
  ASSERT_TRUE(memory.find(id(10)));
  EXPECT_EQ(memory.find(id(10))->first_version, version - 1);
  EXPECT_EQ(memory.find(id(10))->count, 2u);
  EXPECT_EQ(memory.find(id(9))->first_version, version - 2);
  EXPECT_EQ(memory.find(id(9))->count, 1u);
  EXPECT_EQ(memory.find(id(8))->first_version, version - 5);
  EXPECT_EQ(memory.find(id(8))->count, 3u);
}

TEST(CommandMemory, RecentCommandsOfNoCapacityFillNothing) {
  command_memory memory{0};
  recent_commands recent{0};
  recorded_event recorded{"S", 1, 1, "T", "{}", {}};
  recorded.metadata.command_id = id(1);

  recent.add(recorded);
  recent.fill(memory);

  EXPECT_FALSE(memory.find(id(1)));
}

}  // namespace
}  // namespace esk::actors
