// The aggregate actor: owns one aggregate instance (one stream), rehydrates it from the
// store on first use, and handles its commands one at a time in arrival order.
//
// While a command's append waits for the store, later commands and state reads wait in the
// actor's own queue (not in the CAF mailbox, which an awaiting actor rescans for every
// message: quadratic in the number queued). They run in arrival order once the store answered.
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <variant>

#include "esk/actors/aggregate_model.hpp"
#include "esk/log_sink.hpp"
#include "esk/store/event_store.hpp"
#include "messages.hpp"
#include "snapshot_writer.hpp"

namespace esk::actors {

// What every aggregate actor of an engine shares.
struct aggregate_environment {
  std::shared_ptr<event_store> store;  // read directly to rehydrate
  caf::actor store_actor;              // all appends go through it (group commit)
  std::size_t conflict_retries = 0;    // re-read and re-decide this often before failing
  // Where user-code failures nobody awaits are reported. Never null (an empty sink = stderr).
  std::shared_ptr<const log_sink> log;
  caf::actor snapshot_writer;  // saves snapshots after the commands are acknowledged
  std::shared_ptr<in_flight_counter> snapshot_writes;  // snapshots handed over, not yet done
  std::shared_ptr<snapshot_counters> snapshot_counts;
};

struct aggregate_actor_state {
  std::shared_ptr<const aggregate_model> model;
  std::string aggregate_id;
  std::string stream;
  std::shared_ptr<const aggregate_environment> environment;
  std::unique_ptr<aggregate_instance> instance;  // null until hydrated
  std::uint64_t version = 0;                     // of the last applied event
  std::uint64_t events_since_snapshot = 0;       // applied since the last snapshot (or start)
  std::uint64_t bytes_since_snapshot = 0;        // their JSON payloads' bytes
  bool awaiting_store = false;                   // an append of ours is at the store actor
  std::deque<std::variant<command_message, visit_message>> waiting;  // arrived meanwhile
  caf::actor_addr router;            // asked to passivate us when we turn out to have no events
  bool asked_to_passivate = false;   // asked the router already (until it asks back)
  bool refused_passivation = false;  // refused one while busy: offer it again once idle
  static inline const char* name = "esk.aggregate";
};

// Accepts command_message, visit_message and passivate_atom (answers false while it has work,
// else true, and stops). Once idle, an actor whose stream has no events asks `router` to
// passivate it (so reads and refused commands of IDs that do not exist leave no actor behind),
// and so does one that refused a passivation while busy.
// Accepts command_message and visit_message. On a conflict it drops its state; with
// conflict_retries > 0 it then rehydrates and decides the command again, at most that often.
// After a store error whose outcome is unknown it drops its state too, so the next command
// re-reads the stream.
caf::behavior aggregate_actor(caf::stateful_actor<aggregate_actor_state>* self,
                              std::shared_ptr<const aggregate_model> model,
                              std::string aggregate_id,
                              std::shared_ptr<const aggregate_environment> environment,
                              caf::actor_addr router);

}  // namespace esk::actors
