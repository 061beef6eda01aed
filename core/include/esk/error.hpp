// esk/error.hpp — the error value every layer of event-sourcing-kit returns.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace esk {

// What went wrong, so a caller can branch on it without parsing the message.
enum class error_kind {
  rejected,            // a command handler refused the command (a domain rule)
  conflict,            // the stream moved on since it was read (expected version mismatch)
  unknown_command,     // no command type of that name is registered
  unknown_event,       // an event type is not registered (on emit or on rehydration)
  unknown_aggregate,   // no aggregate type of that name is registered
  bad_payload,         // JSON that does not fit the registered type (names type and field)
  bad_json,            // text that is not JSON, or a JSON envelope of the wrong shape
  invalid_argument,    // an argument the API cannot accept (e.g. an empty aggregate ID)
  handler_failed,      // user code (a handler or projection) threw; message names where
  store_unavailable,   // the store could not read or write (I/O error, disk full, locked)
  incompatible_store,  // the file is not an event-sourcing-kit store or has a newer schema
  timeout,             // no answer within the caller's deadline
  shutting_down,       // the runtime is stopping and no longer accepts work
  overloaded,          // too many commands in flight (runtime_options::max_in_flight); nothing
                       // was done: retry later
};

// The stable lower-case name of `kind` ("conflict", "bad_payload", ...). Never fails.
std::string_view to_string(error_kind kind) noexcept;

// An error as a value: a kind to branch on and a message for humans that names the
// aggregate, ID, command and cause where they are known.
struct error {
  error_kind kind;
  std::string message;
  // For a conflict: the version the stream was found at, when known (an HTTP front answers it
  // as the current version).
  std::optional<std::uint64_t> stream_version{};
  // For a rejection: the machine-readable code the handler gave (esk::reject("user_exists",
  // "...")), empty when it gave none. Stable across wording changes: branch on it.
  std::string code{};
};

// What the exception being handled says: its what(), or a note that it is not a
// std::exception. REQUIRES: called inside a catch block. Never throws.
std::string describe_current_exception();

// Prints "<kind>: <message>", or "<kind> [<code>]: <message>" when the error has a code.
std::ostream& operator<<(std::ostream& out, const error& err);

}  // namespace esk
