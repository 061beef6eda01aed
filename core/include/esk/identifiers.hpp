// esk/identifiers.hpp — unique IDs and UTC timestamps for event and command metadata.
#pragma once

#include <string>

namespace esk {

// A new random 128-bit identifier as 32 lower-case hex digits. Thread-safe, never fails.
std::string new_unique_id();

// The current UTC time as ISO 8601 with milliseconds, e.g. "2026-11-25T17:07:34.123Z".
std::string utc_timestamp_now();

}  // namespace esk
