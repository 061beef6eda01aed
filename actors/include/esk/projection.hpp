// esk/projection.hpp — a read model kept up to date from the committed event log.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "esk/store/recorded_event.hpp"
#include "esk/store/sqlite_read_model.hpp"

namespace esk {

// Where an event stands in the log, given to projection handlers with the event: its stream,
// version, global position and metadata, and for a projection whose read model lives in
// SQLite (checkpoint_location::in_sqlite) the transaction its rows are written in.
class event_context {
 public:
  // REQUIRES: `event` (and `sql`, when given) outlive the context.
  explicit event_context(const recorded_event& event, sql_transaction* sql = nullptr)
      : event_(event), sql_(sql) {}

  // The context of `event`, derived from the event `where` describes (a part of it after
  // upcasting, esk/upcasting.hpp), in the same SQL transaction as `where`.
  // REQUIRES: `event` outlives the context.
  event_context(const recorded_event& event, const event_context& where)
      : event_(event), sql_(where.sql_) {}

  const std::string& stream() const { return event_.stream; }
  std::uint64_t version() const { return event_.version; }
  std::uint64_t position() const { return event_.position; }
  const std::string& type() const { return event_.type; }
  const event_metadata& metadata() const { return event_.metadata; }

  // The read model's transaction: what the handler writes through it commits together with
  // the projection's checkpoint. Throws std::logic_error when the projection's read model is
  // not in SQLite (so the handler fails, naming the mistake).
  sql_transaction& sql() const {
    if (!sql_)
      throw std::logic_error(
          "event_context::sql(): this projection keeps no SQLite read model "
          "(projection_options::checkpoints is not in_sqlite)");
    return *sql_;
  }

 private:
  const recorded_event& event_;
  sql_transaction* sql_;
};

// User code that turns committed events into a read model.
//
// The runtime runs each projection in its own actor (on a thread of its own): apply is never
// called concurrently with itself and sees the committed events in global position order,
// starting after the projection's checkpoint (projection_options: none by default, so from the
// beginning of the log), then following every commit. Each event is applied once per run,
// except that failure_policy::retry applies a failed event again. Reading the model from other
// threads is the projection's own business (guard it with a mutex), and
// runtime::sync_projections() waits until every projection has caught up.
// If apply throws, projection_options::on_failure decides: stop there (the default), retry or
// skip it; sync_projections and runtime::projection_statuses report it.
class projection {
 public:
  virtual ~projection() = default;

  // A short name for logs, errors, status and the checkpoint ("users_by_email"). Unique per
  // runtime.
  virtual std::string name() const = 0;

  // Updates the read model with one committed event.
  virtual void apply(const recorded_event& event) = 0;

  // Clears the read model before a rebuild (runtime::rebuild_projection) applies the log again
  // from position 1. Not called for a SQLite read model (checkpoint_location::in_sqlite), which
  // is rebuilt into a shadow file and swapped in. By default throws std::logic_error: a
  // projection that can be rebuilt in place overrides it.
  virtual void reset() {
    throw std::logic_error("projection '" + name() +
                           "' cannot be rebuilt: it does not override projection::reset()");
  }

  // Updates the read model with one committed event and its context (where it stands, and the
  // SQL transaction of a SQLite read model). The runtime calls this one; by default it calls
  // apply(event). Override it to use the context, e.g. to write rows through context.sql().
  virtual void apply_with_context(const recorded_event& event, const event_context& context) {
    (void)context;  // the one-argument apply has no use for it
    apply(event);
  }
};

}  // namespace esk
