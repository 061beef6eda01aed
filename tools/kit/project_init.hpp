// project_init.hpp — `event-sourcing-kit init <dir> [--name NAME] [--template NAME] [--force]`:
// writes a new application from the templates embedded in the binary: `app` (the default:
// events/, commands/, aggregates/ with a worked User example, main.cpp, CMakeLists.txt,
// README.md, specs) or `orders` (orders, payments and shipments with a process manager and a
// SQLite read model, from examples/orders).
#pragma once

#include <ostream>

#include "esk/cli/arguments.hpp"

namespace esk::kit {

// The options init accepts: --name NAME, --template NAME, --force.
cli::option_spec init_options();

// Runs init with the parsed arguments after the command name (positional: <dir>). Creates
// <dir> if needed. Refuses (exit_bad_input) a <dir> that is not empty unless --force is given,
// in which case template files overwrite same-named files and other files are left alone.
// An unknown --template is refused (exit_bad_input) naming the templates there are.
// The app's name (--name, default: the folder's name) must be a letter followed by letters,
// digits, '_' or '-'. Writes what it did and the next steps to `out` (calling this kit by its
// full path, as the generated README does), one-line errors to `err`; returns the exit code
// (exit_failure when a file cannot be written).
int run_init(const cli::arguments& args, std::ostream& out, std::ostream& err);

}  // namespace esk::kit
