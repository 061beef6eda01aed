// Parsing an event's JSON payload for as long as it is decoded, with no allocation per JSON
// value: the value lives in a buffer on the stack (most payloads fit; larger ones take more
// from the heap), built by a parser the caller keeps from one event to the next. Internal to
// the runtime.
#pragma once

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>
#include <string_view>

namespace esk::detail {

// Parses `payload` with `parser` and calls use(const boost::json::value&) with the value,
// which is gone when it returns (decode what you keep). Returns the parse error, if the payload
// is not JSON (then `use` is not called). Whatever `use` throws propagates; `parser` is left
// reset either way. REQUIRES: `parser` is not in use by another call (one per thread or owner).
template <class Use>
boost::json::error_code parse_payload(boost::json::parser& parser, std::string_view payload,
                                      Use&& use) {
  unsigned char payload_memory[4096];
  boost::json::monotonic_resource memory(payload_memory, sizeof payload_memory);
  struct forget_payload {  // before `memory` goes, whatever happens (a failed parse keeps values)
    boost::json::parser& parser;
    ~forget_payload() { parser.reset(); }
  } forget{parser};
  parser.reset(&memory);
  boost::json::error_code failed;
  parser.write(payload.data(), payload.size(), failed);
  if (failed) return failed;
  const boost::json::value parsed = parser.release();
  use(parsed);
  return {};
}

}  // namespace esk::detail
