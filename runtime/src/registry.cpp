#include "esk/registry.hpp"

#include <algorithm>

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
  auto parsed = parse_json(payload, name);
  if (!parsed) return parsed.error_value();
  return entry->decode(*parsed);
}

}  // namespace esk
