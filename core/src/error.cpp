#include "esk/error.hpp"

#include <exception>

namespace esk {

std::string_view to_string(error_kind kind) noexcept {
  switch (kind) {
    case error_kind::rejected:
      return "rejected";
    case error_kind::conflict:
      return "conflict";
    case error_kind::unknown_command:
      return "unknown_command";
    case error_kind::unknown_event:
      return "unknown_event";
    case error_kind::unknown_aggregate:
      return "unknown_aggregate";
    case error_kind::bad_payload:
      return "bad_payload";
    case error_kind::bad_json:
      return "bad_json";
    case error_kind::invalid_argument:
      return "invalid_argument";
    case error_kind::handler_failed:
      return "handler_failed";
    case error_kind::store_unavailable:
      return "store_unavailable";
    case error_kind::incompatible_store:
      return "incompatible_store";
    case error_kind::timeout:
      return "timeout";
    case error_kind::shutting_down:
      return "shutting_down";
    case error_kind::overloaded:
      return "overloaded";
  }
  return "unknown_error";
}

std::string describe_current_exception() {
  try {
    throw;
  } catch (const std::exception& failure) {
    return failure.what();
  } catch (...) {
    return "an exception not derived from std::exception";
  }
}

std::ostream& operator<<(std::ostream& out, const error& err) {
  out << to_string(err.kind);
  if (!err.code.empty()) out << " [" << err.code << ']';
  return out << ": " << err.message;
}

}  // namespace esk
