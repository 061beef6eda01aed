// What the in-memory store's text arena (text_arena.hpp) promises: bytes it hands out stay
// where they are and as they were written, whatever is allocated after them: across blocks,
// beside a text larger than a block, at a block's exact end.
#include "text_arena.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace esk {
namespace {

// `size` bytes that differ from those of any other `seed` at most positions.
std::string text_of(std::size_t seed, std::size_t size) {
  std::string text(size, '\0');
  for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>((seed * 131 + i * 7) % 251);
  return text;
}

// Copies `text` into `arena`; returns the view of the copy.
std::string_view copy_into(text_arena& arena, const std::string& text) {
  char* bytes = arena.allocate(text.size());
  text.copy(bytes, text.size());
  return {bytes, text.size()};
}

TEST(TextArena, BytesHandedOutAreNeverOverwrittenByLaterAllocations) {
  text_arena arena;
  std::vector<std::string> written;
  std::vector<std::string_view> stored;
  std::size_t total = 0;
  for (std::size_t i = 0; total < 20 * text_arena::block_size; ++i) {
    written.push_back(text_of(i, 1 + (i * 37) % 700));
    stored.push_back(copy_into(arena, written.back()));
    total += written.back().size();
  }
  for (std::size_t i = 0; i < written.size(); ++i) {
    ASSERT_EQ(stored[i], written[i]) << "text " << i << " of " << written.size();
  }
}

TEST(TextArena, ATextLargerThanABlockGetsABlockOfItsOwn) {
  text_arena arena;
  const std::string before = text_of(1, 100);
  const std::string large = text_of(2, 3 * text_arena::block_size + 5);
  const std::string after = text_of(3, 100);
  const std::string_view stored_before = copy_into(arena, before);
  const std::string_view stored_large = copy_into(arena, large);
  const std::string_view stored_after = copy_into(arena, after);
  EXPECT_EQ(stored_before, before);
  EXPECT_EQ(stored_large, large);
  EXPECT_EQ(stored_after, after);
  // The current block stays in use: the large text did not end it.
  EXPECT_EQ(stored_before.data() + stored_before.size(), stored_after.data());
}

TEST(TextArena, AnAllocationThatFillsABlockExactlyKeepsItsLastByte) {
  text_arena arena;
  const std::string head = text_of(1, text_arena::block_size - 10);
  const std::string tail = text_of(2, 10);
  const std::string next = text_of(3, 1);
  const std::string_view stored_head = copy_into(arena, head);
  const std::string_view stored_tail = copy_into(arena, tail);
  const std::string_view stored_next = copy_into(arena, next);
  const std::string_view stored_whole_block = copy_into(arena, head + tail);
  const std::string_view stored_last = copy_into(arena, next);
  EXPECT_EQ(stored_head, head);
  EXPECT_EQ(stored_tail, tail);
  EXPECT_EQ(stored_next, next);
  EXPECT_EQ(stored_whole_block, head + tail);
  EXPECT_EQ(stored_last, next);
}

TEST(TextArena, ZeroBytesAreNeverNull) {
  text_arena arena;
  EXPECT_NE(arena.allocate(0), nullptr);
  const std::string text = text_of(1, text_arena::block_size);
  const std::string_view stored = copy_into(arena, text);
  EXPECT_NE(arena.allocate(0), nullptr);
  EXPECT_EQ(stored, text);
}

}  // namespace
}  // namespace esk
