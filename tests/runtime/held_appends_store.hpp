// held_appends_store.hpp — an event store whose appends wait until the test lets them through,
// in front of a real one: commands stay in flight exactly as long as a test wants, without
// sleeps. It also records the size of every request it let through, and which streams each
// call carried (the store actor's group commits).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "esk/store/forwarding_store.hpp"

namespace esk::testing {

class held_appends_store final : public forwarding_store {
 public:
  using forwarding_store::forwarding_store;

  // Lets every append through: those waiting now and all later ones. Thread-safe.
  void release() { allow(std::numeric_limits<std::size_t>::max()); }

  // Lets the next `batches` calls of append_batch through (the store actor's group commits),
  // then holds again. Thread-safe.
  void allow(std::size_t batches) {
    std::lock_guard<std::mutex> lock{mutex_};
    permits_ = batches > std::numeric_limits<std::size_t>::max() - permits_
                   ? std::numeric_limits<std::size_t>::max()
                   : permits_ + batches;
    released_changed_.notify_all();
  }

  // How many events each request of `stream` let through carried, in order. Thread-safe.
  std::vector<std::size_t> request_sizes(const std::string& stream) {
    std::lock_guard<std::mutex> lock{mutex_};
    std::vector<std::size_t> sizes;
    for (const auto& [name, size] : requests_)
      if (name == stream) sizes.push_back(size);
    return sizes;
  }

  // The streams of each call of append_batch let through so far, one list per call (in the
  // order of its requests), calls in order. Thread-safe.
  std::vector<std::vector<std::string>> calls() {
    std::lock_guard<std::mutex> lock{mutex_};
    return calls_;
  }

  // Blocks until `count` calls of append_batch have begun (held or let through), or `timeout`
  // has passed. Returns whether they had. Thread-safe.
  bool wait_for_calls(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock{mutex_};
    return calls_changed_.wait_for(lock, timeout, [&] { return calls_begun_ >= count; });
  }

  // Blocks until a permit is available, then appends. Reads are never held.
  std::vector<result<std::vector<recorded_event>>> append_batch(
      const std::vector<append_request>& requests) override {
    {
      std::unique_lock<std::mutex> lock{mutex_};
      ++calls_begun_;
      calls_changed_.notify_all();
      released_changed_.wait(lock, [this] { return permits_ > 0; });
      if (permits_ != std::numeric_limits<std::size_t>::max()) --permits_;
      std::vector<std::string> streams;
      for (const auto& request : requests) {
        requests_.emplace_back(request.stream, request.events.size());
        streams.push_back(request.stream);
      }
      calls_.push_back(std::move(streams));
    }
    return forwarding_store::append_batch(requests);
  }

 private:
  std::mutex mutex_;
  std::condition_variable released_changed_;
  std::condition_variable calls_changed_;
  std::size_t permits_ = 0;
  std::size_t calls_begun_ = 0;
  std::vector<std::pair<std::string, std::size_t>> requests_;
  std::vector<std::vector<std::string>> calls_;
};

}  // namespace esk::testing
