// One thread per follower: wait on the listener, report, reopen after a failure.
#include "esk/store/commit_follower.hpp"

#include <chrono>
#include <utility>

namespace esk {
namespace {

// Long enough to cost nothing when idle; the destructor interrupts the wait anyway.
constexpr std::chrono::milliseconds wait_slice{60000};

}  // namespace

std::unique_ptr<commit_follower> commit_follower::start(event_store& store,
                                                        commits_callback on_commits,
                                                        std::chrono::milliseconds retry_delay) {
  auto opened = store.listen_for_commits();
  if (opened && !*opened) return nullptr;
  std::unique_ptr<commit_listener> listener;
  if (opened) listener = std::move(*opened);
  return std::unique_ptr<commit_follower>(
      new commit_follower(store, std::move(on_commits), std::move(listener), retry_delay));
}

commit_follower::commit_follower(event_store& store, commits_callback on_commits,
                                 std::unique_ptr<commit_listener> listener,
                                 std::chrono::milliseconds retry_delay)
    : store_(store),
      on_commits_(std::move(on_commits)),
      retry_delay_(retry_delay),
      listener_(std::move(listener)) {
  thread_ = std::thread([this] { follow(); });
}

commit_follower::~commit_follower() {
  {
    std::lock_guard<std::mutex> lock{mutex_};
    stopping_ = true;
    if (listener_) listener_->interrupt();
  }
  stopping_changed_.notify_all();
  thread_.join();
}

void commit_follower::report(std::uint64_t position) {
  if (position <= reported_) return;
  reported_ = position;
  on_commits_(position);
}

bool commit_follower::pause(std::chrono::milliseconds delay) {
  std::unique_lock<std::mutex> lock{mutex_};
  stopping_changed_.wait_for(lock, delay, [this] { return stopping_; });
  return !stopping_;
}

void commit_follower::follow() {
  commit_listener* listening = nullptr;
  {
    std::lock_guard<std::mutex> lock{mutex_};
    listening = listener_.get();
  }
  bool reopened = listening != nullptr;
  for (;;) {
    if (!listening) {
      if (!pause(retry_delay_)) return;
      auto opened = store_.listen_for_commits();
      if (!opened || !*opened) continue;
      std::lock_guard<std::mutex> lock{mutex_};
      if (stopping_) return;
      listener_ = std::move(*opened);
      listening = listener_.get();
      reopened = true;
    }
    if (reopened) {
      // Whatever committed before LISTEN took effect was announced to no one: report the end
      // of the log as it is now (later commits are announced). Asked again soon if it fails.
      auto last = store_.last_position();
      if (last) report(*last);
      reopened = !last;
    }
    auto heard = listening->wait_for_commits(reopened ? retry_delay_ : wait_slice);
    {
      std::lock_guard<std::mutex> lock{mutex_};
      if (stopping_) return;
      if (!heard) {
        listener_.reset();
        listening = nullptr;
        continue;
      }
    }
    if (*heard) report(**heard);
  }
}

}  // namespace esk
