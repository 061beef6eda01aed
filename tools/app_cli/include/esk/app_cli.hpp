// esk/app_cli.hpp — the standard command line every event-sourcing-kit application gets:
//
//   int main(int argc, char** argv) {
//     esk::app_definition app;
//     app.name = "myapp";
//     app.register_types = [](esk::runtime& rt) { users::register_user(rt); };
//     app.demo = run_demo;
//     return esk::run_app_cli(app, argc, argv);
//   }
//
//   myapp [--db STORE]                       runs the app's demo (same as `myapp demo`)
//   myapp send '<json command>'              prints the recorded events as JSON lines
//   myapp state <Aggregate> <id>             prints the state as JSON (exit 6: no events)
//   myapp events [--stream S] [--type T] [--from POS] [--limit N]   JSON lines
//   myapp serve [--bind ADDR] [--port N] [--token-file FILE]   HTTP until SIGTERM (docs/HTTP.md)
//   myapp projections                        each projection's state, position, lag, failure
//   myapp rebuild <projection>               rebuilds it from position 1 (progress on stderr)
//
// Runtime options: app.runtime_options in code; on the command line, anywhere,
// `--conflict-retries N` and `--timeout-ms N` override it (esk/cli/runtime_flags.hpp).
//
// Exit codes: esk/cli/exit_code.hpp (0 success, 2 rejected, 3 conflict, 4 bad input,
// 5 store error, 6 not found, 1 anything else).
#pragma once

#include <functional>
#include <iostream>
#include <ostream>
#include <string>

#include "esk/cli/exit_code.hpp"
#include "esk/runtime.hpp"

namespace esk {

// What an application brings to the standard command line.
struct app_definition {
  // The program's name, for usage text and errors; the default store file is "<name>.db".
  std::string name;
  // Registers the app's aggregates (and projections and process managers) on a fresh runtime.
  // Required. Run by every command; on a read-only store (`state`, `events`) the runtime has
  // runtime_options::start_projections false, so what it adds is checked but never started.
  std::function<void(runtime&)> register_types;
  // The app's own demo, run by `app` and `app demo` on a writable store: writes what it does
  // to `out` and returns the exit code. Optional (without it, `app` prints the usage).
  std::function<int(runtime& rt, std::ostream& out)> demo;
  // How the runtime runs for send, state and the demo (e.g. conflict_retries = 3 so that
  // processes sending to one stream retry instead of failing with conflict). The command
  // line's --conflict-retries and --timeout-ms flags override the matching fields.
  esk::runtime_options runtime_options;
};

// Runs the standard command line on argv[1..argc): opens the store given by --db (a SQLite
// file, default "<name>.db", or a PostgreSQL database for a postgresql:// URL; created only by
// `send` and the demo, read-only for `state` and `events`), starts a runtime with
// app.runtime_options (overridden by --conflict-retries N and --timeout-ms N; a bad value is
// exit_bad_input; on a read-only store with start_projections false, so a query runs no
// projection or process manager), registers the app's types, runs the
// subcommand, and returns the process exit code (esk::cli::exit_code). Results go to `out`,
// one-line errors ("<name>: <kind>: <message>") and the usage text to `err` (`--help` prints
// the usage to `out`). `state` of an aggregate instance that has no events prints nothing to
// `out`, "<name>: not found: <Aggregate> <id> has no events" to `err`, and returns
// exit_not_found. Blocks until done; never throws (an escaping exception is reported as
// exit_failure).
int run_app_cli(const app_definition& app, int argc, const char* const* argv,
                std::ostream& out = std::cout, std::ostream& err = std::cerr);

}  // namespace esk
