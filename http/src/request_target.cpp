#include "request_target.hpp"

#include <charconv>

namespace esk::http_detail {
namespace {

int hex_value(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return -1;
}

// Decodes %XX escapes (and '+' as a space in a query).
std::optional<std::string> percent_decode(std::string_view text, bool in_query) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      decoded.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (in_query && text[i] == '+') {
      decoded.push_back(' ');
    } else {
      decoded.push_back(text[i]);
    }
  }
  return decoded;
}

}  // namespace

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
  std::uint64_t value = 0;
  if (text.empty()) return std::nullopt;
  const auto [end, failure] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (failure != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> request_target::number(const std::string& name,
                                                    std::uint64_t fallback) const {
  auto found = query.find(name);
  if (found == query.end()) return fallback;
  return parse_decimal(found->second);
}

std::optional<request_target> parse_request_target(std::string_view target) {
  request_target parsed;
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);
  parsed.path = std::string(path);
  for (std::size_t start = 0; start < path.size();) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) {
      auto segment = percent_decode(path.substr(start, slash - start), false);
      if (!segment) return std::nullopt;
      parsed.segments.push_back(std::move(*segment));
    }
    start = slash + 1;
  }
  if (question == std::string_view::npos) return parsed;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto equals = pair.find('=');
    auto key = percent_decode(pair.substr(0, equals), true);
    auto value = percent_decode(
        equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1), true);
    if (!key || !value) return std::nullopt;
    parsed.query[std::move(*key)] = std::move(*value);
  }
  return parsed;
}

}  // namespace esk::http_detail
