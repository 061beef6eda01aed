#include "commit_watcher.hpp"

#include <boost/asio/post.hpp>
#include <vector>

namespace esk::http_detail {

commit_watcher::commit_watcher(net::io_context& io, net::thread_pool& readers, event_store& store,
                               std::chrono::milliseconds interval)
    : store_(store),
      readers_(readers),
      interval_(interval),
      strand_(net::make_strand(io)),
      timer_(strand_) {
  follower_ =
      commit_follower::start(store_, [this](std::uint64_t position) { committed(position); });
}

commit_watcher::~commit_watcher() {
  // The follower's thread calls committed(): it ends before the members it uses go.
  std::lock_guard<std::mutex> lock(follower_mutex_);
  follower_.reset();
}

void commit_watcher::committed(std::uint64_t position) {
  std::vector<std::function<void()>> woken;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (position <= known_position_) return;
    known_position_ = position;
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      if (it->second.next <= position) {
        woken.push_back(std::move(it->second.wake));
        it = waiters_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& wake : woken) wake();
}

bool commit_watcher::wait_for(std::uint64_t id, std::uint64_t next, std::function<void()> wake) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shut_down_) return false;
    if (next <= known_position_) return false;
    waiters_[id] = waiter{next, std::move(wake)};
  }
  net::post(strand_, [this] { poll_soon(); });
  return true;
}

void commit_watcher::forget(std::uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  waiters_.erase(id);
}

void commit_watcher::shut_down() {
  {
    std::lock_guard<std::mutex> lock(follower_mutex_);
    follower_.reset();
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    shut_down_ = true;
    waiters_.clear();
  }
  net::post(strand_, [this] { timer_.cancel(); });
}

void commit_watcher::poll_soon() {
  if (polling_) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shut_down_ || waiters_.empty()) return;
  }
  polling_ = true;
  timer_.expires_after(interval_);
  timer_.async_wait([this](beast::error_code failed) {
    if (failed) {
      polling_ = false;
      return;
    }
    net::post(readers_, [this] {
      auto last = store_.last_position();
      // A store that cannot be read now is asked again at the next poll.
      if (last) committed(*last);
      net::post(strand_, [this] {
        polling_ = false;
        poll_soon();
      });
    });
  });
}

}  // namespace esk::http_detail
