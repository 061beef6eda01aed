// projection_feed.hpp — what a projection actor shares with others: with the store actor, how
// many committed events it was sent and has not applied (so the store actor stops sending past a
// bound); with the engine, its status (read without a message, so a projection stuck in a slow
// handler still reports).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

#include "esk/projection_options.hpp"

namespace esk::actors {

// Store actor -> one projection actor: live commits sent and not yet handled.
struct live_feed {
  explicit live_feed(std::size_t max_buffered) : bound(max_buffered) {}
  const std::size_t bound;               // at most this many events in flight to the actor
  std::atomic<std::size_t> buffered{0};  // events sent and not yet taken from the mailbox
  std::atomic<bool> behind_sent{false};  // a behind_atom is in the mailbox, unhandled
  std::atomic<bool> stopping{false};     // the engine is shutting down: end a catch-up early
  // Commits announced by a store shared with other processes (esk/store/commit_follower.hpp).
  std::atomic<std::uint64_t> announced{0};     // the highest last position announced
  std::atomic<bool> announcement_sent{false};  // a commits_announced_atom is unhandled

  // Raises `announced` to `position`; returns true when the actor must be told (no
  // commits_announced_atom is waiting in its mailbox already). Thread-safe.
  bool announce(std::uint64_t position) {
    std::uint64_t seen = announced.load();
    while (seen < position && !announced.compare_exchange_weak(seen, position)) {
    }
    return !announcement_sent.exchange(true);
  }
};

// A projection's status, written by its actor, read by the engine. Thread-safe.
class projection_board {
 public:
  explicit projection_board(std::string name) { status_.name = std::move(name); }

  // Replaces what the actor reports (the name stays).
  void publish(projection_status status) {
    std::lock_guard<std::mutex> lock{mutex_};
    status.name = status_.name;
    status_ = std::move(status);
  }

  // The last report; lag is left to the reader (it needs the store's last position).
  projection_status read() const {
    std::lock_guard<std::mutex> lock{mutex_};
    return status_;
  }

 private:
  mutable std::mutex mutex_;
  projection_status status_;
};

}  // namespace esk::actors
