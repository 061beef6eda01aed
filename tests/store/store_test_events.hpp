// store_test_events.hpp — small builders for the events and requests the store tests append.
#pragma once

#include <string>
#include <vector>

#include "esk/store/recorded_event.hpp"

namespace esk::testing {

// An event of `type` with full metadata derived from `tag`.
inline new_event make_event(const std::string& type, const std::string& tag = "1",
                            const std::string& payload = "{\"n\":1}") {
  return {type, payload,
          event_metadata{"event-" + tag, "command-" + tag, "correlation-" + tag, "cause-" + tag,
                         "2026-11-25T17:07:34.123Z"}};
}

// A request appending `count` events of type "Happened" to `stream` at `expected_version`.
inline append_request make_request(const std::string& stream, std::uint64_t expected_version,
                                   std::size_t count = 1) {
  append_request request{stream, expected_version, {}};
  for (std::size_t i = 0; i < count; ++i) {
    request.events.push_back(make_event("Happened", stream + "/" + std::to_string(i)));
  }
  return request;
}

}  // namespace esk::testing
