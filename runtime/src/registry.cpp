#include "esk/registry.hpp"

#include <algorithm>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>

namespace esk {
namespace detail {

std::vector<std::string> sorted_keys(const std::vector<std::string>& keys) {
  auto sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

}  // namespace detail

result<std::shared_ptr<const void>> event_registry::decode(std::string_view name,
                                                           std::string_view payload) const {
  const auto* entry = find(name);
  if (!entry)
    return error{error_kind::unknown_event, "unknown event type '" + std::string(name) + "'"};
  // The parsed payload lives in a buffer on the stack (most payloads fit; larger ones take
  // more from the heap), parsed by a parser this thread keeps from one event to the next: no
  // allocation per JSON value while rehydrating. Only the typed value decoded from it stays.
  unsigned char payload_memory[4096];
  boost::json::monotonic_resource memory(payload_memory, sizeof payload_memory);
  thread_local boost::json::parser parser;
  struct forget_payload {  // before `memory` goes, whatever happens (a failed parse keeps values)
    boost::json::parser& parser;
    ~forget_payload() { parser.reset(); }
  } forget{parser};
  parser.reset(&memory);
  boost::json::error_code failed;
  parser.write(payload, failed);
  if (failed)
    return error{error_kind::bad_json,
                 std::string(name) + ": not valid JSON (" + failed.message() + ")"};
  const boost::json::value parsed = parser.release();
  return entry->decode(parsed);
}

}  // namespace esk
