// esk/projection_options.hpp — how a projection keeps its checkpoint, what it does when a handler
// throws, and what it reports about itself.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "esk/error.hpp"

namespace esk {

// Where a projection keeps its checkpoint (the global position it has applied up to), which
// decides what a restart redelivers:
// - none: no checkpoint; the read model lives in memory and is rebuilt from position 1 at every
//   start (exactly once per run).
// - in_event_store: saved in the event store after applying (every checkpoint_every events and
//   whenever the projection has caught up): an external read model gets at-least-once delivery
//   with the position; after a crash the events after the checkpoint come again, so make the
//   handlers idempotent (e.g. keep the position applied per row). The checkpoint is saved
//   without waiting for the disk: it survives the process crashing, and a crash of the machine
//   may lose the last ones (more redelivery, never a gap: the log itself is synced).
// - in_sqlite(path): the read model's rows (written through event_context::sql()) and the
//   checkpoint commit in one SQLite transaction per batch: exactly-once effect, even across
//   crashes. `path` may be the events' file or a file of its own. The batches in the middle of
//   a catch-up commit without waiting for the disk (a machine crash undoes rows and checkpoint
//   together, and the events are applied again from the log, once); the commit at the end of a
//   catch-up or of the live events at hand is synced before the projection reports them
//   applied (sync_projections), so what it acknowledged survives a machine crash.
struct checkpoint_location {
  enum class kind { none, event_store, sqlite };
  kind where = kind::none;
  std::string sqlite_path;    // for kind::sqlite
  std::string sqlite_schema;  // for kind::sqlite: SQL run in the first transaction of each start
                              // ("CREATE TABLE IF NOT EXISTS ...")

  static checkpoint_location none() { return {}; }
  static checkpoint_location in_event_store() { return {kind::event_store, {}, {}}; }
  static checkpoint_location in_sqlite(std::string path, std::string schema = {}) {
    return {kind::sqlite, std::move(path), std::move(schema)};
  }
};

// What a projection does when its handler throws at an event.
// - stop: it stops there, its checkpoint at the last good event, the error reported (status,
//   sync_projections, the log) until runtime::restart_projection.
// - retry: it applies the event again after first_delay, doubling up to last_delay, at most
//   `retries` more times; then it stops as above.
// - skip: it logs the event and the error, counts it (projection_status::skipped) and goes on.
// With a SQLite read model, whatever the failed handler wrote is undone in every case.
struct failure_policy {
  enum class action { stop, retry, skip };
  action on_throw = action::stop;
  std::size_t retries = 0;
  std::chrono::milliseconds first_delay{10};
  std::chrono::milliseconds last_delay{1000};

  static failure_policy stop() { return {}; }
  static failure_policy retry(std::size_t retries,
                              std::chrono::milliseconds first_delay = std::chrono::milliseconds(10),
                              std::chrono::milliseconds last_delay = std::chrono::seconds(1)) {
    return {action::retry, retries, first_delay, last_delay};
  }
  static failure_policy skip() { return {action::skip, 0, {}, {}}; }
};

// How the runtime runs one projection (runtime::add_projection).
struct projection_options {
  checkpoint_location checkpoints = checkpoint_location::none();
  // Save the checkpoint (commit the SQLite batch) at least every this many events, and whenever
  // the projection has applied every event it was sent. At least 1.
  std::size_t checkpoint_every = 1000;
  failure_policy on_failure = failure_policy::stop();
  // Committed events sent to the projection and not yet applied, at most; beyond it the runtime
  // stops sending and the projection reads them from the store when it gets there, so a slow
  // projection costs no memory for the events it lags behind. At least 1.
  std::size_t max_buffered_events = 10000;
};

// How far a rebuild has come: the last position applied again, of `last` (the log's end when
// the rebuild began; position may pass it, as events committed meanwhile are applied too).
struct rebuild_progress {
  std::uint64_t position = 0;
  std::uint64_t last = 0;
};

// Called on the projection's thread after each page a rebuild applied; must not block long.
// What it throws is ignored.
using rebuild_progress_callback = std::function<void(const rebuild_progress&)>;

// What a projection is doing.
enum class projection_state {
  catching_up,  // reading the store: starting, behind the live commits, or after a failed read
  running,      // following the live commits
  retrying,     // waiting to apply a failed event again (failure_policy::retry)
  stopped,      // a handler failed and the policy stopped it (see failure)
};

// The stable lower-case name of `state` ("catching_up", ...). Never fails.
const char* to_string(projection_state state) noexcept;

// A projection's report (runtime::projection_statuses).
struct projection_status {
  std::string name;
  projection_state state = projection_state::catching_up;
  std::uint64_t position = 0;         // the last position applied (or skipped); 0 = none yet
  std::uint64_t lag = 0;              // committed events after `position`
  std::uint64_t skipped = 0;          // events skipped by failure_policy::skip since the start
  std::optional<error> failure;       // why it stopped, or the failure being retried
  std::optional<error> read_failure;  // the store cannot be read (it retries), if so
};

}  // namespace esk
