// slowed_store.hpp — an event store that takes at least a given time per commit, in front of
// a real one: a stand-in for a slow disk or a remote database, so a burst outruns it.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "esk/store/event_store.hpp"

namespace esk::bench {

class slowed_store final : public event_store {
 public:
  // Every append_batch (one transaction) waits `commit_time` before it commits to `inner`.
  slowed_store(std::shared_ptr<event_store> inner, std::chrono::microseconds commit_time)
      : inner_(std::move(inner)), commit_time_(commit_time) {}

  std::vector<result<std::vector<recorded_event>>> append_batch(
      const std::vector<append_request>& requests) override {
    std::this_thread::sleep_for(commit_time_);  // the slow commit this store stands for
    return inner_->append_batch(requests);
  }
  result<std::vector<recorded_event>> read_stream(const std::string& stream,
                                                  std::uint64_t from_version,
                                                  std::size_t limit) override {
    return inner_->read_stream(stream, from_version, limit);
  }
  result<std::vector<recorded_event>> read_all(std::uint64_t from_position,
                                               std::size_t limit) override {
    return inner_->read_all(from_position, limit);
  }
  result<std::uint64_t> stream_version(const std::string& stream) override {
    return inner_->stream_version(stream);
  }
  result<std::uint64_t> last_position() override { return inner_->last_position(); }
  result<std::vector<stream_info>> list_streams() override { return inner_->list_streams(); }
  status write_snapshot(const snapshot& taken) override { return inner_->write_snapshot(taken); }
  result<std::optional<snapshot>> read_snapshot(const std::string& stream) override {
    return inner_->read_snapshot(stream);
  }

 private:
  std::shared_ptr<event_store> inner_;
  std::chrono::microseconds commit_time_;
};

}  // namespace esk::bench
