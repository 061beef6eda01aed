#include "append_checks.hpp"

namespace esk {

std::optional<error> check_append_request(const append_request& request) {
  if (request.stream.empty()) {
    return error{error_kind::invalid_argument, "append request has an empty stream name"};
  }
  if (request.events.empty()) {
    return error{error_kind::invalid_argument,
                 "append to stream '" + request.stream + "' has no events"};
  }
  return std::nullopt;
}

std::optional<error> check_snapshot(const snapshot& taken) {
  if (taken.stream.empty())
    return error{error_kind::invalid_argument, "a snapshot needs a stream name"};
  if (taken.version == 0)
    return error{error_kind::invalid_argument,
                 "the snapshot of '" + taken.stream + "' has version 0 (it reflects no event)"};
  return std::nullopt;
}

error version_conflict(const std::string& stream, std::uint64_t expected_version,
                       std::uint64_t actual_version) {
  return error{error_kind::conflict,
               "stream '" + stream + "' is at version " + std::to_string(actual_version) +
                   ", expected version " + std::to_string(expected_version),
               actual_version};
}

}  // namespace esk
