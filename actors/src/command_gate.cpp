#include "command_gate.hpp"

#include <string>

namespace esk {

command_gate::command_gate(std::size_t max_in_flight) : max_in_flight_(max_in_flight) {}

std::optional<error> command_gate::admit() {
  if (closed_.load(std::memory_order_acquire))
    return error{error_kind::shutting_down, "the runtime is stopping; nothing was done"};
  // Compare and swap, not add then undo: a refused command never occupies a place, even for
  // a moment, so the bound is exact under concurrent senders.
  std::size_t current = in_flight_.load(std::memory_order_acquire);
  do {
    if (max_in_flight_ != 0 && current >= max_in_flight_) return overloaded();
  } while (!in_flight_.compare_exchange_weak(current, current + 1, std::memory_order_acq_rel));
  return std::nullopt;
}

error command_gate::overloaded() const {
  return error{error_kind::overloaded,
               std::to_string(max_in_flight_) +
                   " commands are in flight (runtime_options::max_in_flight); nothing was done, "
                   "retry later"};
}

void command_gate::leave() {
  if (in_flight_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    std::lock_guard<std::mutex> lock{mutex_};
    emptied_.notify_all();
  }
}

std::size_t command_gate::close() {
  closed_.store(true, std::memory_order_release);
  return in_flight_.load(std::memory_order_acquire);
}

bool command_gate::closed() const { return closed_.load(std::memory_order_acquire); }

void command_gate::wait_until_empty() {
  std::unique_lock<std::mutex> lock{mutex_};
  emptied_.wait(lock, [this] { return in_flight_.load(std::memory_order_acquire) == 0; });
}

bool command_gate::wait_until_empty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock{mutex_};
  return emptied_.wait_until(lock, deadline,
                             [this] { return in_flight_.load(std::memory_order_acquire) == 0; });
}

void command_gate::expire() { expired_.store(true, std::memory_order_release); }

bool command_gate::expired() const { return expired_.load(std::memory_order_acquire); }

error_kind command_gate::answer_for_dropped_command() {
  if (!expired()) return error_kind::handler_failed;
  answered_at_expiry_.fetch_add(1, std::memory_order_relaxed);
  return error_kind::shutting_down;
}

std::size_t command_gate::answered_at_expiry() const {
  return answered_at_expiry_.load(std::memory_order_relaxed);
}

}  // namespace esk
