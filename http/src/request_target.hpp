// Reading a request target: its path segments and query parameters, percent-decoded.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace esk::http_detail {

// A request target split and decoded: "/aggregates/User/4%202?x=1" has the segments
// {"aggregates", "User", "4 2"} and the query {"x": "1"}.
struct request_target {
  std::string path;  // as sent, without the query
  std::vector<std::string> segments;
  std::map<std::string, std::string> query;

  // The query parameter `name` as a decimal number; `fallback` when absent; nullopt when it
  // is present and not a decimal number that fits.
  std::optional<std::uint64_t> number(const std::string& name, std::uint64_t fallback) const;
};

// Splits and decodes `target`; nullopt when a percent escape is malformed.
std::optional<request_target> parse_request_target(std::string_view target);

// `text` as a decimal number without sign or spaces; nullopt otherwise (or on overflow).
std::optional<std::uint64_t> parse_decimal(std::string_view text);

}  // namespace esk::http_detail
