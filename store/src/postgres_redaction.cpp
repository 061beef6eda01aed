#include "postgres_redaction.hpp"

#include <regex>
#include <vector>

namespace esk {
namespace {

constexpr const char* hidden = "***";

bool is_uri_end(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '"' || c == '\''; }

// Where each URI in `text` starts (just past "://") and ends (the first blank or quote).
struct uri_span {
  std::size_t authority;
  std::size_t end;
};

std::vector<uri_span> uris_in(const std::string& text) {
  static const std::regex scheme{R"(postgres(?:ql)?://)"};
  std::vector<uri_span> spans;
  for (std::sregex_iterator found{text.begin(), text.end(), scheme}, none; found != none; ++found) {
    const auto authority = static_cast<std::size_t>(found->position(0) + found->length(0));
    std::size_t end = authority;
    while (end < text.size() && !is_uri_end(text[end])) ++end;
    spans.push_back({authority, end});
  }
  return spans;
}

// The password of a URI's user information: from the first ':' to the last '@' (libpq cuts
// at the first '@' or '/', but a user who left one of those unencoded meant it as part of the
// password). [begin, end) of `text`, or begin == end when there is none.
std::pair<std::size_t, std::size_t> user_password(const std::string& text, const uri_span& uri) {
  const std::size_t at = text.rfind('@', uri.end == 0 ? 0 : uri.end - 1);
  if (at == std::string::npos || at < uri.authority) return {0, 0};
  const std::size_t colon = text.find(':', uri.authority);
  if (colon == std::string::npos || colon >= at) return {0, 0};
  return {colon + 1, at};
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(const std::string& text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 &&
        hex_digit(text[i + 2]) >= 0) {
      decoded += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

// Every password `conninfo` holds, as written and percent-decoded.
std::vector<std::string> passwords_in(const std::string& conninfo) {
  std::vector<std::string> passwords;
  for (const auto& uri : uris_in(conninfo)) {
    const auto [begin, end] = user_password(conninfo, uri);
    if (begin < end) passwords.push_back(conninfo.substr(begin, end - begin));
  }
  static const std::regex parameter{R"((?:^|[?&\s])(?:ssl)?password\s*=\s*('[^']*'|[^&\s]+))"};
  for (std::sregex_iterator found{conninfo.begin(), conninfo.end(), parameter}, none; found != none;
       ++found) {
    std::string value = (*found)[1];
    if (value.size() >= 2 && value.front() == '\'') value = value.substr(1, value.size() - 2);
    passwords.push_back(value);
  }
  const std::size_t written = passwords.size();
  for (std::size_t i = 0; i < written; ++i) passwords.push_back(percent_decoded(passwords[i]));
  return passwords;
}

void replace_all(std::string& text, const std::string& secret) {
  if (secret.empty()) return;
  for (std::size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + std::char_traits<char>::length(hidden))) {
    text.replace(at, secret.size(), hidden);
  }
}

}  // namespace

std::string redact_password(const std::string& location) {
  std::string redacted = location;
  // Back to front, so that earlier spans stay where they were found.
  auto uris = uris_in(redacted);
  for (auto uri = uris.rbegin(); uri != uris.rend(); ++uri) {
    const auto [begin, end] = user_password(redacted, *uri);
    if (begin < end) redacted.replace(begin, end - begin, hidden);
  }
  static const std::regex parameter{R"(((?:^|[?&\s])(?:ssl)?password\s*=\s*)('[^']*'|[^&\s"]+))"};
  return std::regex_replace(redacted, parameter, std::string("$1") + hidden);
}

std::string redact_connection_message(const std::string& message, const std::string& conninfo) {
  std::string redacted = redact_password(message);
  const auto passwords = passwords_in(conninfo);
  for (const auto& password : passwords) replace_all(redacted, password);
  // A quoted token that is a piece of a password: libpq took it for a host or a port.
  static const std::regex quoted{R"re("([^"]*)")re"};
  std::string result;
  std::size_t copied = 0;
  for (std::sregex_iterator found{redacted.begin(), redacted.end(), quoted}, none; found != none;
       ++found) {
    const std::string token = (*found)[1];
    bool secret = false;
    for (const auto& password : passwords)
      secret = secret || (!token.empty() && password.find(token) != std::string::npos);
    // A token holding a piece of a password cut at an '@' or '/' ("rest@host").
    for (const auto& password : passwords) {
      for (const char cut : {'@', '/'}) {
        const std::size_t at = password.find(cut);
        if (at == std::string::npos) continue;
        const std::string after = password.substr(at + 1);
        const std::string before = password.substr(0, at);
        secret = secret || (!after.empty() && token.find(after) != std::string::npos) ||
                 (!before.empty() && token.find(before) != std::string::npos);
      }
    }
    const auto position = static_cast<std::size_t>(found->position(0));
    result += redacted.substr(copied, position - copied);
    result += secret ? std::string("\"") + hidden + "\"" : found->str(0);
    copied = position + static_cast<std::size_t>(found->length(0));
  }
  return result + redacted.substr(copied);
}

}  // namespace esk
