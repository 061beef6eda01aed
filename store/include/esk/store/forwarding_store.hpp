// esk/store/forwarding_store.hpp — an event store that passes every call to another one.
// Derive from it to change one call and keep the rest: a store that counts, slows down or fails
// on demand (tests, benchmarks), or adds metrics.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "esk/store/event_store.hpp"

namespace esk {

// Forwards every call to `inner`; thread-safe as `inner` is.
class forwarding_store : public event_store {
 public:
  // REQUIRES: inner != nullptr.
  explicit forwarding_store(std::shared_ptr<event_store> inner) : inner_(std::move(inner)) {}

  std::vector<result<std::vector<recorded_event>>> append_batch(
      const std::vector<append_request>& requests) override {
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
  result<std::vector<stream_info>> list_streams(const std::string& from_name,
                                                std::size_t limit) override {
    return inner_->list_streams(from_name, limit);
  }
  status write_snapshot(const snapshot& taken) override { return inner_->write_snapshot(taken); }
  result<std::optional<snapshot>> read_snapshot(const std::string& stream) override {
    return inner_->read_snapshot(stream);
  }
  status save_checkpoint(const std::string& projection, std::uint64_t position) override {
    return inner_->save_checkpoint(projection, position);
  }
  status save_checkpoint_unsynced(const std::string& projection, std::uint64_t position) override {
    return inner_->save_checkpoint_unsynced(projection, position);
  }
  result<std::uint64_t> read_checkpoint(const std::string& projection) override {
    return inner_->read_checkpoint(projection);
  }
  result<std::unique_ptr<commit_listener>> listen_for_commits() override {
    return inner_->listen_for_commits();
  }
  gap_wait_statistics gap_waits() const override { return inner_->gap_waits(); }

 protected:
  event_store& inner() { return *inner_; }

 private:
  std::shared_ptr<event_store> inner_;
};

}  // namespace esk
