#include "esk/registry.hpp"

#include <algorithm>
#include <boost/json/parser.hpp>
#include <optional>
#include <utility>

#include "payload_parsing.hpp"

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
  // A parser per thread (payload_parsing.hpp): no allocation per JSON value while rehydrating.
  thread_local boost::json::parser parser;
  std::optional<result<std::shared_ptr<const void>>> decoded;
  const auto failed = detail::parse_payload(
      parser, payload, [&](const boost::json::value& parsed) { decoded = entry->decode(parsed); });
  if (failed)
    return error{error_kind::bad_json,
                 std::string(name) + ": not valid JSON (" + failed.message() + ")"};
  return std::move(*decoded);
}

}  // namespace esk
