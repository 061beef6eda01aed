// esk/json_codec.hpp — typed values to and from JSON payloads, with errors that name the
// type and the field. Works for any struct described with BOOST_DESCRIBE_STRUCT (and any
// other type Boost.JSON can convert); a type without a JSON mapping fails to compile with one
// static_assert naming BOOST_DESCRIBE_STRUCT.
#pragma once

#include <boost/describe/members.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>
#include <boost/mp11/algorithm.hpp>
#include <string>
#include <string_view>
#include <type_traits>

#include "esk/result.hpp"

namespace esk {

// What decoding does with object keys the type does not have.
enum class unknown_fields {
  reject,  // bad_payload naming the field (commands: a typo must not pass silently)
  ignore,  // skip them (events: stored payloads may carry fields a newer version added)
};

namespace detail {

// "a string", "an integer", ...: what a JSON field must hold for a C++ member of type M.
template <class M>
const char* expected_json_kind() {
  if constexpr (std::is_same_v<M, bool>)
    return "a boolean";
  else if constexpr (std::is_integral_v<M>)
    return "an integer in range";
  else if constexpr (std::is_floating_point_v<M>)
    return "a number";
  else if constexpr (std::is_convertible_v<M, std::string_view>)
    return "a string";
  else
    return "a value of the right shape";
}

bool is_member_name(std::string_view key, const char* const* names, std::size_t count);
error payload_error(std::string_view type_name, std::string detail);

}  // namespace detail

// Decodes `payload` into a T. A described T's members include those of its described bases,
// as Boost.JSON encodes them. Errors: bad_payload "<type_name>: missing field 'email'",
// "<type_name>: field 'age' must be an integer in range", "<type_name>: unknown field 'x'"
// (with unknown_fields::reject), "<type_name>: payload must be a JSON object". Never throws.
// REQUIRES (checked at compile time): Boost.JSON can convert JSON to T.
template <class T>
result<T> decode_payload(const boost::json::value& payload, std::string_view type_name,
                         unknown_fields policy) {
  static_assert(boost::json::has_value_to<T>::value,
                "esk::decode_payload<T>: T has no JSON mapping; add "
                "BOOST_DESCRIBE_STRUCT(T, (), (its members...)) after its definition");
  if constexpr (boost::describe::has_describe_members<T>::value) {
    using members = boost::describe::describe_members<T, boost::describe::mod_public |
                                                             boost::describe::mod_inherited>;
    const auto* object = payload.if_object();
    if (!object) return detail::payload_error(type_name, "payload must be a JSON object");
    if (policy == unknown_fields::reject) {
      const char* names[boost::mp11::mp_size<members>::value + 1] = {};
      std::size_t count = 0;
      boost::mp11::mp_for_each<members>([&](auto member) { names[count++] = member.name; });
      for (const auto& entry : *object)
        if (!detail::is_member_name(entry.key(), names, count))
          return detail::payload_error(type_name,
                                       "unknown field '" + std::string(entry.key()) + "'");
    }
    T decoded{};
    std::string problem;
    boost::mp11::mp_for_each<members>([&](auto member) {
      if (!problem.empty()) return;
      using member_type = std::remove_reference_t<decltype(decoded.*member.pointer)>;
      const auto* field = object->if_contains(member.name);
      if (!field) {
        problem = std::string("missing field '") + member.name + "'";
        return;
      }
      auto converted = boost::json::try_value_to<member_type>(*field);
      if (!converted) {
        problem = std::string("field '") + member.name + "' must be " +
                  detail::expected_json_kind<member_type>();
        return;
      }
      decoded.*member.pointer = std::move(*converted);
    });
    if (!problem.empty()) return detail::payload_error(type_name, problem);
    return decoded;
  } else if constexpr (boost::json::has_value_to<T>::value) {
    auto converted = boost::json::try_value_to<T>(payload);
    if (!converted)
      return detail::payload_error(type_name,
                                   "payload does not fit: " + converted.error().message());
    return std::move(*converted);
  } else {
    // Unreachable (the static_assert above failed); kept so nothing else is instantiated and
    // the compiler reports that one line.
    return detail::payload_error(type_name, "no JSON mapping");
  }
}

// Parses `text` as JSON and decodes it as above. Errors: bad_json for text that is not
// JSON (with the parser's reason), else as decode_payload.
result<boost::json::value> parse_json(std::string_view text, std::string_view what);

template <class T>
result<T> decode_payload_text(std::string_view text, std::string_view type_name,
                              unknown_fields policy) {
  auto parsed = parse_json(text, type_name);
  if (!parsed) return parsed.error_value();
  return decode_payload<T>(*parsed, type_name, policy);
}

// Encodes `value` as a serialized JSON object (one heap allocation, the text, unless the JSON
// value takes more than 4 KiB to build). REQUIRES (checked at compile time): Boost.JSON
// can convert T to JSON.
template <class T>
std::string encode_payload(const T& value) {
  static_assert(boost::json::has_value_from<T>::value,
                "esk::encode_payload<T>: T has no JSON mapping; add "
                "BOOST_DESCRIBE_STRUCT(T, (), (its members...)) after its definition");
  if constexpr (boost::json::has_value_from<T>::value) {
    // The JSON value lives only until it is serialized: build it in a buffer on the stack,
    // not one heap allocation per object, key and string (a larger value continues on the
    // heap). The serialized text is the one allocation left.
    unsigned char buffer[4096];
    boost::json::monotonic_resource resource(buffer, sizeof buffer);
    return boost::json::serialize(boost::json::value_from(value, &resource));
  } else
    return {};  // unreachable, as in decode_payload
}

}  // namespace esk
