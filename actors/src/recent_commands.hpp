// The last few commands of a stream read page by page: what a rehydrating aggregate remembers
// of them (command_memory.hpp) without holding the whole stream. Internal to the actors layer.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "command_memory.hpp"
#include "esk/store/recorded_event.hpp"

namespace esk::actors {

// Fed a stream's events in version order (each command's events contiguous, as the store
// records them), keeps the last `capacity` commands: each run of events with the same command
// ID is one command. Reuses its strings once full: no allocation per event in the steady state.
class recent_commands {
 public:
  explicit recent_commands(std::size_t capacity) : capacity_(capacity) {}

  // Counts `event` toward the newest command, or starts a new one (forgetting the oldest).
  void add(const recorded_event& event);

  // Forgets what `memory` remembers, then remembers these commands, oldest first.
  void fill(command_memory& memory) const;

 private:
  struct command {
    std::string command_id;
    recorded_span span;
  };
  std::size_t capacity_;
  std::vector<command> ring_;  // oldest first until full; then ring_[newest_ + 1] is the oldest
  std::size_t newest_ = 0;
};

}  // namespace esk::actors
