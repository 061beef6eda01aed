// hash_index.hpp — an open-addressing index of entries by a hash the caller computes: one
// flat array of (hash, pointer) slots, so a lookup reads one slot (usually one cache line)
// and compares keys only where the stored hash matches. The entries live elsewhere (they must
// not move while indexed); the index neither owns nor copies them. Internal to the kit (the
// router's live aggregates, the memory store's streams), not installed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace esk {

// A 64-bit hash of `text` for the index (the standard library's string hash).
inline std::uint64_t hash_text(std::string_view text) noexcept {
  return std::hash<std::string_view>{}(text);
}

template <class Entry>
class hash_index {
 public:
  // The entry indexed under `hash` for which `matches(const Entry&)` is true, or null. Reads
  // only slots; calls `matches` only for entries whose stored hash equals `hash`.
  template <class Matches>
  Entry* find(std::uint64_t hash, Matches matches) const {
    if (slots_.empty()) return nullptr;
    for (std::size_t at = home_of(hash);; at = (at + 1) & mask()) {
      const slot& here = slots_[at];
      if (here.entry == nullptr) return nullptr;
      if (here.hash == hash && matches(*here.entry)) return here.entry;
    }
  }

  // Indexes `entry` under `hash`. REQUIRES: `entry` is not null, stays where it is until it is
  // erased, and no indexed entry is equal to it (find would return either).
  void insert(std::uint64_t hash, Entry* entry) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    place(hash, entry);
    ++size_;
  }

  // Removes `entry`, indexed under `hash`, if it is indexed. Returns whether it was.
  bool erase(std::uint64_t hash, const Entry* entry) {
    if (slots_.empty()) return false;
    std::size_t at = home_of(hash);
    while (slots_[at].entry != entry) {
      if (slots_[at].entry == nullptr) return false;
      at = (at + 1) & mask();
    }
    // Backward shift: move later members of the probe run into the hole, so no tombstones are
    // needed and every entry stays reachable from its home slot without an empty slot between.
    for (std::size_t next = (at + 1) & mask();; next = (next + 1) & mask()) {
      if (slots_[next].entry == nullptr) break;
      const std::size_t home = home_of(slots_[next].hash);
      // Does `next` stay reachable if moved to `at`? Only if its home is not in (at, next].
      const bool home_after_hole =
          at <= next ? (at < home && home <= next) : (at < home || home <= next);
      if (home_after_hole) continue;
      slots_[at] = slots_[next];
      at = next;
    }
    slots_[at] = slot{};
    --size_;
    return true;
  }

  // Entries indexed.
  std::size_t size() const noexcept { return size_; }

 private:
  struct slot {
    std::uint64_t hash = 0;
    Entry* entry = nullptr;  // null: empty
  };

  std::size_t mask() const noexcept { return slots_.size() - 1; }

  // The slot a probe for `hash` starts at: Fibonacci hashing of the hash's bits onto the
  // power-of-two table, so a weak low byte does not cluster entries.
  std::size_t home_of(std::uint64_t hash) const noexcept {
    return static_cast<std::size_t>((hash * 0x9e3779b97f4a7c15ULL) >> shift_);
  }

  void place(std::uint64_t hash, Entry* entry) {
    std::size_t at = home_of(hash);
    while (slots_[at].entry != nullptr) at = (at + 1) & mask();
    slots_[at] = slot{hash, entry};
  }

  // Doubles the table (16 slots at first), keeping it at most half full.
  void grow() {
    std::vector<slot> old = std::move(slots_);
    const std::size_t capacity = old.empty() ? 16 : old.size() * 2;
    slots_.assign(capacity, slot{});
    shift_ = 64;
    for (std::size_t bits = capacity; bits > 1; bits >>= 1) --shift_;
    for (const slot& moved : old)
      if (moved.entry != nullptr) place(moved.hash, moved.entry);
  }

  std::vector<slot> slots_;
  std::size_t size_ = 0;
  unsigned shift_ = 64;  // 64 - log2(slots_.size())
};

}  // namespace esk
