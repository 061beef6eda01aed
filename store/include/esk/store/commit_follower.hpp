// esk/store/commit_follower.hpp — a thread that follows a shared store's commit announcements
// (event_store::listen_for_commits) and reports each new last position, reopening its listener
// when the connection breaks.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "esk/store/event_store.hpp"

namespace esk {

class commit_follower {
 public:
  // Called from the follower's thread with the store's last position as announced: after each
  // batch of announcements, and after the listener (re)opened (so nothing committed while it
  // was not listening goes unreported). Positions never decrease. Must not throw.
  using commits_callback = std::function<void(std::uint64_t last_position)>;

  // Opens `store`'s listener and starts following it. Returns nullptr when the store announces
  // nothing (listen_for_commits returned nullptr). When the listener cannot be opened now, the
  // follower starts anyway and tries again, waiting `retry_delay` between tries.
  // REQUIRES: `store` outlives the follower. Blocks while the listener opens.
  static std::unique_ptr<commit_follower> start(
      event_store& store, commits_callback on_commits,
      std::chrono::milliseconds retry_delay = std::chrono::milliseconds{500});

  // Stops the thread (interrupting its wait) and joins it. Blocks for at most one callback.
  ~commit_follower();

  commit_follower(const commit_follower&) = delete;
  commit_follower& operator=(const commit_follower&) = delete;

 private:
  commit_follower(event_store& store, commits_callback on_commits,
                  std::unique_ptr<commit_listener> listener, std::chrono::milliseconds retry_delay);

  void follow();
  void report(std::uint64_t position);
  bool pause(std::chrono::milliseconds delay);  // false when stopping

  event_store& store_;
  const commits_callback on_commits_;
  const std::chrono::milliseconds retry_delay_;
  std::uint64_t reported_ = 0;  // on the thread only
  std::mutex mutex_;
  std::condition_variable stopping_changed_;
  bool stopping_ = false;                      // guarded by mutex_
  std::unique_ptr<commit_listener> listener_;  // replaced by the thread under mutex_
  std::thread thread_;
};

}  // namespace esk
