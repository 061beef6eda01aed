// How the live feeds learn of new commits: commits answered through this server report their
// position at once; a store shared by several processes (PostgreSQL) announces every process's
// commits (esk/store/commit_follower.hpp); while a feed waits, the store's last position is
// polled as well (commits from elsewhere: in-process callers, other processes on one SQLite
// file, announcements lost while the listener reconnects).
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "esk/store/commit_follower.hpp"
#include "esk/store/event_store.hpp"
#include "http_types.hpp"

namespace esk::http_detail {

class commit_watcher {
 public:
  // Polls `store` on `readers` every `interval` while someone waits, and follows its commit
  // announcements when it makes any. Blocks while the store's listener opens.
  commit_watcher(net::io_context& io, net::thread_pool& readers, event_store& store,
                 std::chrono::milliseconds interval);
  ~commit_watcher();

  // Records that the log holds `position` (wakes the feeds waiting for it). Thread-safe.
  void committed(std::uint64_t position);

  // Calls `wake` once, from any thread, when the log is known to hold position `next`;
  // returns false without registering anything when it is known already. A waiter `id`
  // replaces its earlier registration. Thread-safe.
  bool wait_for(std::uint64_t id, std::uint64_t next, std::function<void()> wake);

  // Forgets waiter `id` (a closed feed). Thread-safe.
  void forget(std::uint64_t id);

  // Stops polling and following and forgets every waiter. Thread-safe; blocks while the
  // follower's thread ends.
  void shut_down();

 private:
  void poll_soon();  // on strand_

  struct waiter {
    std::uint64_t next;
    std::function<void()> wake;
  };
  event_store& store_;
  net::thread_pool& readers_;
  const std::chrono::milliseconds interval_;
  net::strand<net::io_context::executor_type> strand_;
  net::steady_timer timer_;  // used on strand_ only
  bool polling_ = false;     // on strand_ only
  std::mutex mutex_;
  std::uint64_t known_position_ = 0;
  bool shut_down_ = false;
  std::unordered_map<std::uint64_t, waiter> waiters_;
  std::mutex follower_mutex_;
  std::unique_ptr<commit_follower> follower_;  // null when the store announces nothing
};

}  // namespace esk::http_detail
