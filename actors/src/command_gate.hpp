// Admission of commands into the engine: a bound on commands in flight, and the closing of the
// door when the engine stops. Internal to the actors layer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>

#include "esk/error.hpp"

namespace esk {

// Counts the commands in flight (admitted and not yet answered) against a bound. Thread-safe.
class command_gate {
 public:
  // At most `max_in_flight` commands in flight at once; 0 = no bound.
  explicit command_gate(std::size_t max_in_flight);
  command_gate(const command_gate&) = delete;
  command_gate& operator=(const command_gate&) = delete;

  // Takes a place for one command, or returns why not: shutting_down once close() was called,
  // overloaded while max_in_flight commands are in flight. The message says only the cause; the
  // caller names the command. Never blocks.
  std::optional<error> admit();

  // Gives back the place of an admitted command, once it is answered.
  void leave();

  // Makes every later admit() refuse with shutting_down. Returns the commands in flight now.
  // The caller must keep admit() calls from racing it if it needs an exact count.
  std::size_t close();

  // Whether close() was called.
  bool closed() const;

  // Blocks until no admitted command is in flight.
  void wait_until_empty();

  // Blocks until no admitted command is in flight or until `deadline`, whichever comes
  // first. Returns whether none is in flight.
  bool wait_until_empty(std::chrono::steady_clock::time_point deadline);

  // From now on, a command dropped unanswered (its actor stopped) is answered shutting_down
  // rather than handler_failed: the engine stopped it on purpose.
  void expire();

  // Whether expire() was called.
  bool expired() const;

  // The kind a dropped command is answered with (see expire()); each call with shutting_down
  // counts one answer for answered_at_expiry().
  error_kind answer_for_dropped_command();

  // How many dropped commands were answered shutting_down since expire().
  std::size_t answered_at_expiry() const;

 private:
  error overloaded() const;

  const std::size_t max_in_flight_;
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> closed_{false};
  std::atomic<bool> expired_{false};
  std::atomic<std::size_t> answered_at_expiry_{0};
  std::mutex mutex_;
  std::condition_variable emptied_;
};

}  // namespace esk
