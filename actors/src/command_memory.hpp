// What an aggregate actor remembers of the commands its stream recorded: for the last few
// command IDs, which versions their events got, so a command sent again with the same ID (a
// client retrying after a timeout, a process manager replaying) is answered with the events it
// recorded the first time instead of being applied twice. Internal to the actors layer.
//
// Kept compact because every accepted command passes here: the IDs sit in a ring that reuses
// its strings once full (no allocation per command on a busy aggregate), found by a linear
// scan while they are few and through an open-addressing index of ring slots beyond that.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace esk::actors {

// The versions a command's events got: first_version .. first_version + count - 1.
struct recorded_span {
  std::uint64_t first_version = 0;
  std::size_t count = 0;
};

class command_memory {
 public:
  // Remembers at most `capacity` command IDs, forgetting the oldest first; 0 = none.
  explicit command_memory(std::size_t capacity = 0) : capacity_(capacity) {}

  // The span `command_id` recorded, if it is remembered.
  std::optional<recorded_span> find(const std::string& command_id) const;

  // Remembers that `command_id` recorded `span` (the newest command). An ID already
  // remembered keeps its first span.
  void remember(const std::string& command_id, recorded_span span);

  void clear();

  // Whether it remembers any command IDs at all (capacity above 0).
  bool enabled() const noexcept { return capacity_ > 0; }

 private:
  // A remembered command ID: inline up to 32 characters (the runtime's IDs are 32 hex digits),
  // so remembering one allocates nothing; a longer one in a string of its own.
  class stored_id {
   public:
    explicit stored_id(std::string_view id) { assign(id); }
    void assign(std::string_view id);
    std::string_view view() const noexcept {
      return length_ <= inline_capacity ? std::string_view(inline_, length_) : long_;
    }

   private:
    static constexpr std::size_t inline_capacity = 32;
    std::size_t length_ = 0;
    char inline_[inline_capacity] = {};
    std::string long_;  // only when length_ > inline_capacity
  };
  struct remembered {
    std::size_t hash;
    stored_id command_id;
    recorded_span span;
  };
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  // The ring slot holding `command_id` (whose hash is `hash`), or npos.
  std::size_t slot_of(std::string_view command_id, std::size_t hash) const;
  // Where the index probe for `hash` starts. REQUIRES: !index_.empty().
  std::size_t home(std::size_t hash) const noexcept { return hash & (index_.size() - 1); }
  void index_insert(std::size_t slot);
  void index_erase(std::size_t slot);
  // Builds the index anew when the ring has outgrown the scan or half the index.
  void grow_index_if_needed();

  std::size_t capacity_;
  std::vector<remembered> ring_;  // oldest first until full; then ring_[next_] is the oldest
  std::size_t next_ = 0;          // the slot the next command overwrites once the ring is full
  // Linear probing, power-of-two size, at most half full: ring slot + 1, 0 = free. Empty
  // while the ring is small enough to scan.
  std::vector<std::uint32_t> index_;
};

}  // namespace esk::actors
