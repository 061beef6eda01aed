// How an aggregate actor uses snapshots: rehydration starts from the stream's snapshot when
// its schema version is the one the aggregate's policy names, and a snapshot becomes due as
// events are applied; the actor hands it to the snapshot writer after the acknowledgement.
// Internal to the actors layer.
#pragma once

#include <caf/event_based_actor.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "aggregate_actor.hpp"

namespace esk::actors {

// Loads `read`'s snapshot into `instance` (fresh) when the reader started the events after it
// (it has the policy's schema version); returns the stream version it reflects, or 0 when
// there is none to use: a snapshot of another schema version is counted and ignored (the
// reader then read every event). Logs a failed snapshot read, and the first ignored snapshot
// of each kind per engine. Returns nullopt when the snapshot has the policy's schema version
// but does not decode (counted): the events after it are not enough, so read the stream again
// without it, into a fresh instance. Never throws.
std::optional<std::uint64_t> use_snapshot(const aggregate_actor_state& state,
                                          const stream_read& read, aggregate_instance& instance);

// Counts `applied` (events applied to the instance) toward the next snapshot.
void count_applied(aggregate_actor_state& state, const std::vector<recorded_event>& applied);

// When the policy says a snapshot is due, starts counting anew and returns the job that will
// carry it (it counts as pending from now, so create it before acknowledging the command: the
// engine stops only after it is done); else null.
snapshot_message snapshot_if_due(aggregate_actor_state& state);

// Fills `job` with the instance's state as JSON and sends it to the snapshot writer. Call it
// after the command was acknowledged: encoding a large state takes time. A state that cannot
// be encoded is logged and dropped. Never throws.
void hand_off_snapshot(caf::event_based_actor* self, const aggregate_actor_state& state,
                       snapshot_message job);

}  // namespace esk::actors
