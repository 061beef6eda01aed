// esk/cli/projection_commands.hpp — `myapp projections` (each projection's status) and
// `myapp rebuild <name>` (rebuild one from position 1, progress on the error stream).
#pragma once

#include <ostream>
#include <string>

#include "esk/result.hpp"
#include "esk/runtime.hpp"

namespace esk::cli {

// Lets every projection of `rt` catch up with the log (as sync_projections; a projection that
// stopped does not hide the others), then writes one line per projection to `out`:
// "<name> <state> position=<P> lag=<L> skipped=<S>", followed by " failure=<kind>: <message>"
// when it stopped or retries. Blocks. Errors: store_unavailable, timeout (what
// projection_statuses and sync_projections return, except a stopped projection's failure).
status write_projection_statuses(runtime& rt, std::ostream& out);

// Rebuilds projection `name` of `rt` (runtime::rebuild_projection) and writes to `progress`
// "rebuild <name>: <P>/<L> events (<percent>%)" at each whole percent (and at the end), then
// "rebuilt <name> at position <P>" to `out`. Blocks until done. Errors: those of
// rebuild_projection and projection_statuses.
status rebuild(runtime& rt, const std::string& name, std::ostream& out, std::ostream& progress);

}  // namespace esk::cli
