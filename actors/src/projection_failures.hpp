// projection_failures.hpp — a projection actor's bookkeeping: moving on after an applied event
// and saving the checkpoint, what it does when its handler throws (failure_policy) or the store
// cannot be read, and the status it publishes.
#pragma once

#include <optional>
#include <string>

#include "projection_actor.hpp"

namespace esk::actors {

using projection_self = caf::stateful_actor<projection_actor_state>*;

// "projection '<name>'", for logs and errors.
std::string describe(const projection_actor_state& state);

// Whether the projection may not apply events now: stopped, or a retry of a failed event is
// scheduled.
bool held(const projection_actor_state& state);

// Why the projection cannot go on now (stopped, retrying, or unable to read), if it cannot.
std::optional<error> holding_error(const projection_actor_state& state);

// Notes a failed read of the log (or a read model that cannot be opened), logged once per
// outage, and returns the error callers see.
error note_read_failure(projection_actor_state& state, const error& cause);

// Notes that the log could be read again (logged when it ends an outage).
void note_read_success(projection_actor_state& state);

// Moves past the event at `position` (applied or skipped); saves the checkpoint every
// checkpoint_every events, without waiting for the disk (checkpoint_keeper::save_unsynced):
// nobody has been told these events are applied yet.
void advance(projection_self self, std::uint64_t position);

// Whether a checkpoint save waits for the disk: `unsynced` for a batch in the middle of a run,
// `synced` where the events are reported applied (end of a catch-up, shutdown, a failure).
enum class checkpoint_sync { synced, unsynced };

// Saves the checkpoint at the last event applied, if any was applied since the last save. When
// the save fails and undid the batch (SQLite), goes back to the saved position and reads the
// store again after a backoff; otherwise it logs and tries at the next save.
void save_checkpoint(projection_self self, checkpoint_sync sync = checkpoint_sync::synced);

// The handler threw `what` at `event`: applies the failure policy (skip, retry later, or stop),
// logs it. Returns true when the projection goes on (skipped), false when it is held.
bool handle_throw(projection_self self, const recorded_event& event, const std::string& what);

// Lets a stopped projection go on from the event it failed at. Returns false when it was not
// stopped.
bool restart(projection_actor_state& state);

// Publishes the projection's status to its board.
void publish(const projection_actor_state& state);

}  // namespace esk::actors
