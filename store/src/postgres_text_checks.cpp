#include "postgres_text_checks.hpp"

#include <cstdint>
#include <cstring>

namespace esk {
namespace {

// The length of the UTF-8 sequence starting at text[at], or 0 when none starts there.
std::size_t utf8_sequence(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the byte after the lead
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  if (byte(at + 1) < low || byte(at + 1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) return 0;
  return length;
}

// Whether the 8 bytes at `at` are all ASCII and none is NUL (the common case, checked a word at
// a time).
bool plain_ascii_word(std::string_view text, std::size_t at) {
  std::uint64_t word;
  std::memcpy(&word, text.data() + at, sizeof word);
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  const bool any_high = (word & highs) != 0;
  const bool any_zero = ((word - ones) & ~word & highs) != 0;
  return !any_high && !any_zero;
}

}  // namespace

bool holds_nul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

std::string unstorable_text(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    if (at + 8 <= text.size() && plain_ascii_word(text, at)) {
      at += 8;
      continue;
    }
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte == 0) return "holds a NUL byte at offset " + std::to_string(at);
    if (byte < 0x80) {
      ++at;
      continue;
    }
    const std::size_t length = utf8_sequence(text, at);
    if (length == 0) return "is not UTF-8 at offset " + std::to_string(at);
    at += length;
  }
  return "";
}

std::string unstorable_name_text(std::string_view name) {
  if (name.size() > longest_postgres_name)
    return "is " + std::to_string(name.size()) + " bytes long (at most " +
           std::to_string(longest_postgres_name) + ")";
  return unstorable_text(name);
}

std::optional<error> check_storable_field(stored_as judged_as, std::string_view field,
                                          std::string_view text,
                                          const std::function<std::string()>& what) {
  const std::string why =
      judged_as == stored_as::name ? unstorable_name_text(text) : unstorable_text(text);
  if (why.empty()) return std::nullopt;
  return error{error_kind::invalid_argument, "cannot " + what() + ": its " + std::string(field) +
                                                 " " + why + ", which PostgreSQL cannot store"};
}

std::optional<error> check_storable(const append_request& request) {
  // Built once per request (a reference fits std::function's inline storage: no allocation).
  const std::function<std::string()> what = [&request] {
    return "append to stream '" + request.stream + "'";
  };
  if (auto bad = check_storable_field(stored_as::name, "name", request.stream, what)) return bad;
  for (const auto& event : request.events) {
    const event_metadata& metadata = event.metadata;
    for (const auto& [field, text] :
         {std::pair<const char*, const std::string*>{"event type", &event.type},
          {"payload", &event.payload},
          {"event_id", &metadata.event_id},
          {"command_id", &metadata.command_id},
          {"correlation_id", &metadata.correlation_id},
          {"causation_id", &metadata.causation_id},
          {"recorded_at", &metadata.recorded_at}}) {
      if (auto bad = check_storable_field(stored_as::text, field, *text, what)) return bad;
    }
  }
  return std::nullopt;
}

}  // namespace esk
