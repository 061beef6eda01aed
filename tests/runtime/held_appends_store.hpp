// held_appends_store.hpp — an event store whose appends wait until the test releases them, in
// front of a real one: commands stay in flight exactly as long as a test wants, without sleeps.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "esk/store/forwarding_store.hpp"

namespace esk::testing {

class held_appends_store final : public forwarding_store {
 public:
  using forwarding_store::forwarding_store;

  // Lets every append through: those waiting now and all later ones. Thread-safe.
  void release() {
    std::lock_guard<std::mutex> lock{mutex_};
    released_ = true;
    released_changed_.notify_all();
  }

  // Blocks until release() was called, then appends. Reads are never held.
  std::vector<result<std::vector<recorded_event>>> append_batch(
      const std::vector<append_request>& requests) override {
    {
      std::unique_lock<std::mutex> lock{mutex_};
      released_changed_.wait(lock, [this] { return released_; });
    }
    return forwarding_store::append_batch(requests);
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_changed_;
  bool released_ = false;
};

}  // namespace esk::testing
