// esk/store/commit_listener.hpp — learn promptly that some process committed events to a store
// shared by several processes, instead of polling it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "esk/result.hpp"

namespace esk {

// Announcements of commits to one store, made by any process (this one included). Obtained
// from event_store::listen_for_commits. Announcements are hints: read the store from your own
// position to get the events (a notification is never the only way an event arrives).
class commit_listener {
 public:
  virtual ~commit_listener() = default;

  // Waits up to `timeout` for commits since the previous call (or since the listener opened)
  // and returns the highest last position announced, or nullopt when none came in time or the
  // listener was interrupted. Errors: store_unavailable when the connection broke (open a new
  // listener). Not thread-safe: one thread waits. Blocks.
  virtual result<std::optional<std::uint64_t>> wait_for_commits(
      std::chrono::milliseconds timeout) = 0;

  // Makes the wait in progress, and every later one, return nullopt at once. Thread-safe (the
  // one call that may come from another thread than the waiter's). Never blocks.
  virtual void interrupt() = 0;
};

}  // namespace esk
