// store_inspection.hpp — `event-sourcing-kit streams|events|stats <db>`: reading any store
// without the application's code. Stores are opened read-only and never created.
#pragma once

#include <ostream>

#include "esk/cli/arguments.hpp"

namespace esk::kit {

// The options each inspection command accepts (besides its <db> argument).
cli::option_spec streams_options();
cli::option_spec events_options();
cli::option_spec stats_options();

// Each takes the parsed arguments after the command name (positional: <db>), writes its
// report to `out` and one-line errors to `err`, and returns the exit code (esk/cli/exit_code.hpp):
// exit_store_error for a missing file, a file that is not a store or has a newer schema.
// Progress goes to stderr only when it is a terminal. Block while reading.

// One line per stream: name, version, event count, position of its last event.
// `--json`: one JSON object per line instead of a table.
int run_streams(const cli::arguments& args, std::ostream& out, std::ostream& err);

// The events matching --stream/--type/--from/--limit as JSON lines, read page by page.
int run_events(const cli::arguments& args, std::ostream& out, std::ostream& err);

// Event count, stream count, event types with their counts, file size. `--json`: one object.
int run_stats(const cli::arguments& args, std::ostream& out, std::ostream& err);

}  // namespace esk::kit
