// How an aggregate actor uses snapshots: rehydration starts from the stream's snapshot when
// its schema version is the one the aggregate's policy names, and a snapshot becomes due as
// events are applied; the actor hands it to the snapshot writer after the acknowledgement.
// Internal to the actors layer.
#pragma once

#include <caf/event_based_actor.hpp>
#include <cstdint>
#include <memory>
#include <vector>

#include "aggregate_actor.hpp"

namespace esk::actors {

// Loads the stream's snapshot into `instance` (fresh) when the model's policy takes snapshots
// and the snapshot has the policy's schema version and decodes as the state; returns the
// stream version it reflects, from which the caller replays the later events. Returns 0 when
// there is none to use: a snapshot of another schema version, or one that does not decode, is
// counted and ignored (`instance` is then a fresh one again), and so is a failed read. Logs
// the first ignored snapshot of each kind per engine. Never throws.
std::uint64_t load_snapshot(const aggregate_actor_state& state,
                            std::unique_ptr<aggregate_instance>& instance);

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
