// What an aggregate actor remembers of the commands its stream recorded: for the last few
// command IDs, which versions their events got, so a command sent again with the same ID (a
// client retrying after a timeout, a process manager replaying) is answered with the events it
// recorded the first time instead of being applied twice. Internal to the actors layer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "esk/store/recorded_event.hpp"
#include "fifo_queue.hpp"

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

  // Remembers that `command_id` recorded `span` (the newest command).
  void remember(const std::string& command_id, recorded_span span);

  // Forgets everything, then remembers the last `capacity` commands of `events` (a stream's
  // events in version order, each command's events contiguous). Reads only as far back as
  // it needs.
  void rebuild(const std::vector<recorded_event>& events);

  void clear();

  // Whether it remembers any command IDs at all (capacity above 0).
  bool enabled() const noexcept { return capacity_ > 0; }

 private:
  using index = std::unordered_map<std::string, recorded_span>;
  std::size_t capacity_;
  index spans_;
  fifo_queue<index::iterator> oldest_first_;
};

}  // namespace esk::actors
