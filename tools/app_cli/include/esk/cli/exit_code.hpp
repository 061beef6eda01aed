// esk/cli/exit_code.hpp — the exit codes of every event-sourcing-kit command line: the
// standard application command line (esk/app_cli.hpp) and the event-sourcing-kit tool.
#pragma once

#include "esk/error.hpp"

namespace esk::cli {

// What a process exit status tells a script. Stable: scripts branch on these numbers.
enum exit_code : int {
  exit_success = 0,      // the command did what was asked
  exit_failure = 1,      // anything else: timeout, a handler threw, a file could not be written
  exit_rejected = 2,     // a command handler refused the command (a domain rule)
  exit_conflict = 3,     // the stream moved on concurrently (expected version mismatch)
  exit_bad_input = 4,    // bad usage or input: unknown option, bad JSON or payload, unknown
                         // command or aggregate type, invalid argument, non-empty init folder
  exit_store_error = 5,  // the store cannot be used: missing file, a directory, not a store,
                         // newer schema, I/O error
  exit_not_found = 6,    // what was asked about does not exist: `state` of an aggregate
                         // instance that has no events
  exit_overloaded = 7,   // the runtime had too many commands in flight and did nothing: retry
                         // later
};

// The exit code for an error of `kind` (never exit_not_found: "no events" is not an error of
// the runtime, the command line decides it). Never fails.
exit_code exit_code_for(error_kind kind) noexcept;

}  // namespace esk::cli
