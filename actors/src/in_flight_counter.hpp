// Counts work handed to actors whose answer has not been delivered yet, so that stopping
// the engine can wait for it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace esk {

class in_flight_counter {
 public:
  // One more piece of work is out.
  void enter() { count_.fetch_add(1, std::memory_order_relaxed); }

  // One piece of work is answered; wakes wait_until_drained when it was the last.
  void leave() {
    if (count_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      std::lock_guard<std::mutex> lock{mutex_};
      drained_.notify_all();
    }
  }

  // Blocks until every entered piece of work has left.
  void wait_until_drained() {
    std::unique_lock<std::mutex> lock{mutex_};
    drained_.wait(lock, [this] { return count_.load(std::memory_order_acquire) == 0; });
  }

 private:
  std::atomic<std::size_t> count_{0};
  std::mutex mutex_;
  std::condition_variable drained_;
};

}  // namespace esk
