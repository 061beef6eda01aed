#include "esk/cli/exit_code.hpp"

namespace esk::cli {

exit_code exit_code_for(error_kind kind) noexcept {
  switch (kind) {
    case error_kind::rejected:
      return exit_rejected;
    case error_kind::conflict:
      return exit_conflict;
    case error_kind::unknown_command:
    case error_kind::unknown_aggregate:
    case error_kind::bad_payload:
    case error_kind::bad_json:
    case error_kind::invalid_argument:
      return exit_bad_input;
    case error_kind::store_unavailable:
    case error_kind::incompatible_store:
      return exit_store_error;
    case error_kind::unknown_event:
    case error_kind::handler_failed:
    case error_kind::timeout:
    case error_kind::shutting_down:
      return exit_failure;
    case error_kind::overloaded:
      return exit_overloaded;
  }
  return exit_failure;
}

}  // namespace esk::cli
