#include "esk/json_codec.hpp"

#include <boost/json/parse.hpp>

namespace esk {
namespace detail {

bool is_member_name(std::string_view key, const char* const* names, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i)
    if (key == names[i]) return true;
  return false;
}

error payload_error(std::string_view type_name, std::string detail) {
  return {error_kind::bad_payload, std::string(type_name) + ": " + std::move(detail)};
}

}  // namespace detail

result<boost::json::value> parse_json(std::string_view text, std::string_view what) {
  boost::json::error_code code;
  auto parsed = boost::json::parse(text, code);
  if (code)
    return error{error_kind::bad_json,
                 std::string(what) + ": not valid JSON (" + code.message() + ")"};
  return parsed;
}

}  // namespace esk
