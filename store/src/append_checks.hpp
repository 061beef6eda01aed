// append_checks.hpp — the checks every backend applies to an append request (and a snapshot),
// so that all backends refuse the same requests with the same messages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "esk/error.hpp"
#include "esk/store/recorded_event.hpp"
#include "esk/store/snapshot.hpp"

namespace esk {

// The invalid_argument error for a request with an empty stream name or without events;
// nullopt for a request a backend may try to append. Never touches a store.
std::optional<error> check_append_request(const append_request& request);

// The invalid_argument error for a snapshot with an empty stream name or version 0; nullopt
// for one a backend may write.
std::optional<error> check_snapshot(const snapshot& taken);

// The conflict error for `stream` being at `actual_version` when the request expected
// `expected_version`. The message names the stream and both versions.
error version_conflict(const std::string& stream, std::uint64_t expected_version,
                       std::uint64_t actual_version);

}  // namespace esk
