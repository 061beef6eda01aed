// slowed_store.hpp — an event store that takes at least a given time per commit, in front of
// a real one: a stand-in for a slow disk or a remote database, so a burst outruns it.
#pragma once

#include <chrono>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "esk/store/forwarding_store.hpp"

namespace esk::bench {

class slowed_store final : public forwarding_store {
 public:
  // Every append_batch (one transaction) waits `commit_time` before it commits to `inner`.
  slowed_store(std::shared_ptr<event_store> inner, std::chrono::microseconds commit_time)
      : forwarding_store(std::move(inner)), commit_time_(commit_time) {}

  std::vector<result<std::vector<recorded_event>>> append_batch(
      const std::vector<append_request>& requests) override {
    std::this_thread::sleep_for(commit_time_);  // the slow commit this store stands for
    return forwarding_store::append_batch(requests);
  }

 private:
  std::chrono::microseconds commit_time_;
};

}  // namespace esk::bench
