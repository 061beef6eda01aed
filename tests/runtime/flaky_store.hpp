// flaky_store.hpp — an event store that fails on demand, in front of a real one: reads of the
// log, appends (as an error value, or by throwing as a broken backend might).
#pragma once

#include <atomic>
#include <memory>
#include <stdexcept>
#include <vector>

#include "esk/store/forwarding_store.hpp"

namespace esk::testing {

class flaky_store final : public forwarding_store {
 public:
  using forwarding_store::forwarding_store;

  std::atomic<bool> fail_log_reads{false};   // read_all fails with store_unavailable
  std::atomic<bool> fail_appends{false};     // append_batch fails every request
  std::atomic<bool> throw_on_append{false};  // append_batch throws

  std::vector<result<std::vector<recorded_event>>> append_batch(
      const std::vector<append_request>& requests) override {
    if (throw_on_append) throw std::runtime_error("the disk caught fire");
    if (fail_appends)
      return std::vector<result<std::vector<recorded_event>>>(
          requests.size(), error{error_kind::store_unavailable, "injected append failure"});
    return forwarding_store::append_batch(requests);
  }
  result<std::vector<recorded_event>> read_all(std::uint64_t from_position,
                                               std::size_t limit) override {
    if (fail_log_reads) return error{error_kind::store_unavailable, "injected read failure"};
    return forwarding_store::read_all(from_position, limit);
  }
};

}  // namespace esk::testing
