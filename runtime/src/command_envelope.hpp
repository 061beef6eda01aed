// Parsing the JSON form of a command: {"type": ..., "payload": {...}, "command_id": ...}.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "esk/result.hpp"
#include "esk/runtime.hpp"

namespace esk {

struct command_envelope {
  std::string type;
  boost::json::value payload;
  command_options options;
};

// Splits a JSON command into its parts. Errors: bad_json (not JSON, larger than
// max_json_command_bytes, not an object, "type" missing or not a string, "payload" missing
// or not an object, an ID field that is not a string, "expected_version" that is not a
// non-negative integer, an unknown envelope key).
result<command_envelope> parse_command_envelope(std::string_view text);

}  // namespace esk
