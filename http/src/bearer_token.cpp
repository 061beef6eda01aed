#include "bearer_token.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <string>

#include "esk/http_server.hpp"

namespace esk {
namespace http_detail {

bool bearer_token_matches(std::string_view authorization, std::string_view expected) noexcept {
  constexpr std::string_view scheme = "Bearer ";
  if (expected.empty()) return false;
  const bool has_scheme = authorization.substr(0, scheme.size()) == scheme;
  const std::string_view given =
      has_scheme ? authorization.substr(scheme.size()) : std::string_view{};
  // Every byte of `expected` is compared whatever `given` holds, so the time tells nothing
  // about the content; only a difference in length shows.
  unsigned difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const char offered = i < given.size() ? given[i] : '\0';
    difference |= static_cast<unsigned char>(offered) ^ static_cast<unsigned char>(expected[i]);
  }
  return has_scheme && difference == 0;
}

}  // namespace http_detail

namespace {

std::string trimmed(std::string text) {
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && is_space(text.back())) text.pop_back();
  std::size_t start = 0;
  while (start < text.size() && is_space(text[start])) ++start;
  return text.substr(start);
}

}  // namespace

result<std::string> read_bearer_token(const std::string& path, const char* variable) {
  if (path.empty()) {
    const char* value = variable ? std::getenv(variable) : nullptr;
    return trimmed(value ? value : "");
  }
  std::ifstream file(path);
  std::string line;
  if (!file || !std::getline(file, line))
    return error{error_kind::invalid_argument, "cannot read the bearer token file " + path};
  std::string token = trimmed(line);
  if (token.empty())
    return error{error_kind::invalid_argument, "the bearer token file " + path + " is empty"};
  return token;
}

}  // namespace esk
