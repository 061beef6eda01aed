// text_arena.hpp — append-only storage for text that lives as long as its owner: bytes are
// handed out from 64 KiB blocks (a request larger than a block gets a block of its own), so
// thousands of small texts share one heap allocation. Nothing handed out is ever moved,
// reused or freed before the arena is destroyed. The in-memory store keeps its events' text
// here. Not thread-safe: the owner serializes allocate() against everything else it does
// with the arena (reading bytes already written is fine alongside other readers).
// Internal to store/.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace esk {

class text_arena {
 public:
  static constexpr std::size_t block_size = 64 * 1024;

  text_arena() = default;
  text_arena(const text_arena&) = delete;
  text_arena& operator=(const text_arena&) = delete;

  // Returns `size` contiguous bytes for the caller to fill (never null, even for
  // size 0) that stay where they are, untouched by later calls, until the arena is destroyed.
  // Throws std::bad_alloc when memory runs out (the arena is then unchanged).
  char* allocate(std::size_t size) {
    if (size > block_size) return blocks_.emplace_back(std::make_unique<char[]>(size)).get();
    if (next_ == nullptr || size > left_) {
      // The rest of the current block is left unused: what was handed out from it stays put.
      next_ = blocks_.emplace_back(std::make_unique<char[]>(block_size)).get();
      left_ = block_size;
    }
    char* begin = next_;
    next_ += size;
    left_ -= size;
    return begin;
  }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;  // every block handed out from, never shrunk
  char* next_ = nullptr;                         // the first free byte of the current block
  std::size_t left_ = 0;                         // free bytes from next_ to the block's end
};

}  // namespace esk
