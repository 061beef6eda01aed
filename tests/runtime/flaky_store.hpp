// flaky_store.hpp — an event store that fails on demand, in front of a real one: reads of the
// log, appends (as an error value, or by throwing as a broken backend might).
#pragma once

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "esk/store/event_store.hpp"

namespace esk::testing {

class flaky_store final : public event_store {
 public:
  explicit flaky_store(std::shared_ptr<event_store> inner) : inner_(std::move(inner)) {}

  std::atomic<bool> fail_log_reads{false};   // read_all fails with store_unavailable
  std::atomic<bool> fail_appends{false};     // append_batch fails every request
  std::atomic<bool> throw_on_append{false};  // append_batch throws

  std::vector<result<std::vector<recorded_event>>> append_batch(
      const std::vector<append_request>& requests) override {
    if (throw_on_append) throw std::runtime_error("the disk caught fire");
    if (fail_appends)
      return std::vector<result<std::vector<recorded_event>>>(
          requests.size(), error{error_kind::store_unavailable, "injected append failure"});
    return inner_->append_batch(requests);
  }
  result<std::vector<recorded_event>> read_stream(const std::string& stream,
                                                  std::uint64_t from_version,
                                                  std::size_t limit) override {
    return inner_->read_stream(stream, from_version, limit);
  }
  result<std::vector<recorded_event>> read_all(std::uint64_t from_position,
                                               std::size_t limit) override {
    if (fail_log_reads) return error{error_kind::store_unavailable, "injected read failure"};
    return inner_->read_all(from_position, limit);
  }
  result<std::uint64_t> stream_version(const std::string& stream) override {
    return inner_->stream_version(stream);
  }
  result<std::uint64_t> last_position() override { return inner_->last_position(); }
  result<std::vector<stream_info>> list_streams() override { return inner_->list_streams(); }

 private:
  std::shared_ptr<event_store> inner_;
};

}  // namespace esk::testing
