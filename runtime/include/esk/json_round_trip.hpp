// esk/json_round_trip.hpp — does a value come back unchanged from its JSON?
//
// An event is applied to the live state as the typed value, but stored (and replayed after a
// restart) as its JSON. A member left out of BOOST_DESCRIBE_STRUCT is therefore applied now
// and lost later: the state silently changes after a restart. Call check_json_round_trip on a
// sample of each event type in your tests; debug builds of the runtime also check every event
// a command decides (see ESK_CHECK_JSON_ROUND_TRIP below).
//
// What the checks can and cannot see (Boost.Describe knows only the described members):
//  (a) layout: the described members' offsets and sizes (from their member pointers) against
//      sizeof/alignof of the type. Finds a forgotten member unless it hides in what would be
//      alignment padding (e.g. an int after an int before a double), and names the described
//      member it follows. Skipped for polymorphic types (the vtable pointer is no member) and
//      for types Boost.Describe does not know. A member declared alignas(N) beyond its type's
//      alignment looks like a gap (a false alarm: describe it or drop the alignas).
//  (b) equality: decode(encode(v)) == v, when T has an operator==. Catches any loss that
//      operator== can see, including members in padding and lossy nested types.
//  (c) JSON again (check_json_round_trip only, when T has no operator==): encode(decode(
//      encode(v))) == encode(v), as JSON values. Catches encoders and decoders that disagree
//      (e.g. a member one of them skips). Cannot see a member that neither of them knows.
//      Unordered containers of non-objects may come back in another order (a false alarm:
//      give the type an operator==).
//  (d) state (the runtime only): the state after applying the typed event and the state after
//      applying the event decoded from its JSON, compared with State's operator== or else
//      their JSON. Catches exactly the symptom, whatever the cause, for the state at hand.
#pragma once

// ESK_CHECK_JSON_ROUND_TRIP: 1 = the runtime checks every event a command decides with (a),
// (b) and (d) before it is stored; 0 = it does not. Defaults to 1 without NDEBUG (debug
// builds) and to 0 with it (release builds, where the check would cost a decode, two state
// copies and two state encodings per event). Define it to 1 to opt in on a release build
// (e.g. target_compile_definitions(app PRIVATE ESK_CHECK_JSON_ROUND_TRIP=1)), the same way in
// every file that registers aggregates, like NDEBUG for assert. A command whose event fails the
// check fails with handler_failed naming the event type; nothing is stored.
#if !defined(ESK_CHECK_JSON_ROUND_TRIP)
#if defined(NDEBUG)
#define ESK_CHECK_JSON_ROUND_TRIP 0
#else
#define ESK_CHECK_JSON_ROUND_TRIP 1
#endif
#endif

#include <boost/describe/members.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/mp11/algorithm.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "esk/json_codec.hpp"
#include "esk/result.hpp"

namespace esk {

namespace detail {

// Where one described member lies in its object.
struct member_extent {
  std::size_t offset;
  std::size_t size;
  std::size_t alignment;
  const char* name;
};

// The bytes of an object (of `object_size` and `object_alignment`) that no member in
// `members` covers and alignment padding does not explain, as "bytes 8 to 39 (after member
// 'user_id') belong to no described member", or empty when there are none.
std::string undescribed_bytes(std::vector<member_extent> members, std::size_t object_size,
                              std::size_t object_alignment);

// Check (a) on `value`: the bytes of T that no described member covers, or empty.
template <class T>
std::string undescribed_bytes_of(const T& value) {
  if constexpr (std::is_polymorphic_v<T> || std::is_empty_v<T> ||
                !boost::describe::has_describe_members<T>::value) {
    return {};
  } else {
    using members = boost::describe::describe_members<T, boost::describe::mod_public |
                                                             boost::describe::mod_inherited>;
    std::vector<member_extent> extents;
    const auto* object = reinterpret_cast<const char*>(std::addressof(value));
    boost::mp11::mp_for_each<members>([&](auto member) {
      const auto& field = value.*member.pointer;
      using field_type = std::remove_reference_t<decltype(field)>;
      const auto* at = reinterpret_cast<const char*>(std::addressof(field));
      extents.push_back({static_cast<std::size_t>(at - object), sizeof(field_type),
                         alignof(field_type), member.name});
    });
    return undescribed_bytes(std::move(extents), sizeof(T), alignof(T));
  }
}

template <class T, class = void>
struct has_equality : std::false_type {};
template <class T>
struct has_equality<
    T, std::void_t<decltype(bool(std::declval<const T&>() == std::declval<const T&>()))>>
    : std::true_type {};

// Checks (a) and (b): what `original` lost on its way to `decoded` (its JSON, decoded), as
// "; "-separated findings, or empty when neither check sees a loss.
template <class T>
std::string value_loss(const T& original, const T& decoded) {
  std::string findings = undescribed_bytes_of(original);
  if constexpr (has_equality<T>::value) {
    if (!(decoded == original)) {
      if (!findings.empty()) findings += "; ";
      findings += "the value decoded from its JSON is not == the original";
    }
  }
  return findings;
}

// "<registered name> (<C++ type>)", or the C++ type alone when `registered_name` is empty.
std::string round_trip_subject(std::string_view registered_name, const std::type_info& type);

// The error for a value of `type` whose round trip lost data, with `findings`.
error round_trip_error(std::string_view registered_name, const std::type_info& type,
                       const std::string& findings);

}  // namespace detail

// Checks that `sample` survives encode_payload then decode_payload (as an event is stored and
// replayed) with checks (a), (b) and (c) above. Use it in tests on a sample of every event type
// with every member set to a non-default value, e.g.
//   EXPECT_TRUE(esk::check_json_round_trip(UserCreated{"42", "Ada", "ada@x.org"}).ok());
// `registered_name` (optional) is the name the type is registered under, for the message.
// Returns handler_failed naming the type (registered and C++ name) and what was lost, e.g.
// "UserRenamed (users::UserRenamed) does not survive its JSON round trip: bytes 32 to 63 (after
// member 'user_id') belong to no described member ...", or bad_payload when its own JSON does not
// decode. REQUIRES: T has a JSON mapping (checked at compile time). Never throws except
// std::bad_alloc. Does not block.
template <class T>
status check_json_round_trip(const T& sample, std::string_view registered_name = {}) {
  constexpr bool has_json_mapping =
      boost::json::has_value_from<T>::value && boost::json::has_value_to<T>::value;
  static_assert(has_json_mapping,
                "esk::check_json_round_trip<T>: T has no JSON mapping; add "
                "BOOST_DESCRIBE_STRUCT(T, (), (its members...)) after its definition");
  if constexpr (has_json_mapping) {
    const std::string subject = detail::round_trip_subject(registered_name, typeid(T));
    const boost::json::value encoded = boost::json::value_from(sample);
    auto decoded = decode_payload<T>(encoded, subject, unknown_fields::ignore);
    if (!decoded) return decoded.error_value();
    std::string findings = detail::value_loss(sample, *decoded);
    if constexpr (!detail::has_equality<T>::value) {
      const boost::json::value encoded_again = boost::json::value_from(*decoded);
      if (encoded_again != encoded) {
        if (!findings.empty()) findings += "; ";
        findings += "its JSON changes on a second round trip (" + boost::json::serialize(encoded) +
                    " became " + boost::json::serialize(encoded_again) + ")";
      }
    }
    if (!findings.empty()) return detail::round_trip_error(registered_name, typeid(T), findings);
  }
  return {};
}

}  // namespace esk
