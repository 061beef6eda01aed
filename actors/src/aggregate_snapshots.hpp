// How an aggregate actor takes snapshots: one becomes due as events are applied; the actor hands
// it to the snapshot writer after the acknowledgement. (Rehydration starts from the stream's
// snapshot when its schema version is the one the aggregate's policy names: rehydration.hpp.)
// Internal to the actors layer.
#pragma once

#include <caf/event_based_actor.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "aggregate_actor.hpp"

namespace esk::actors {

// Counts `applied` (events applied to the instance) toward the next snapshot.
void count_applied(aggregate_actor_state& state, const std::vector<recorded_event>& applied);

// Counts `events` applied to the instance, of `payload_bytes` in all, toward the next snapshot.
void count_applied(aggregate_actor_state& state, std::uint64_t events, std::uint64_t payload_bytes);

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
