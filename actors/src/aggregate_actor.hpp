// The aggregate actor: owns one aggregate instance (one stream), rehydrates it from the
// store on first use, and handles its commands one at a time in arrival order.
//
// While a command's append waits for the store, later commands and state reads wait in the
// actor's own queue (not in the CAF mailbox, which an awaiting actor rescans for every
// message: quadratic in the number queued); so do those that arrive while it rehydrates (its
// stream is read by the stream reader, off the scheduler's threads: stream_reader.hpp). They
// run in arrival order once the store answered,
// the commands queued in a row as one append (command_batch.hpp): a hot aggregate commits many
// commands per store transaction.
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "command_memory.hpp"
#include "esk/actors/aggregate_model.hpp"
#include "esk/log_sink.hpp"
#include "esk/store/event_store.hpp"
#include "fifo_queue.hpp"
#include "messages.hpp"
#include "snapshot_writer.hpp"
#include "stream_reader.hpp"

namespace esk::actors {

// What every aggregate actor of an engine shares.
struct aggregate_environment {
  caf::actor stream_reader;             // rehydration reads go through it (off the scheduler)
  std::shared_ptr<event_store> store;   // reads a repeated command's first events (rare)
  std::size_t remembered_commands = 0;  // command IDs each aggregate remembers (command_memory)
  caf::actor store_actor;               // all appends go through it (group commit)
  std::size_t conflict_retries = 0;     // re-read and re-decide this often before failing
  // Where user-code failures nobody awaits are reported. Never null (an empty sink = stderr).
  std::shared_ptr<const log_sink> log;
  caf::actor snapshot_writer;  // saves snapshots after the commands are acknowledged
  std::shared_ptr<in_flight_counter> snapshot_writes;  // snapshots handed over, not yet done
  std::shared_ptr<snapshot_counters> snapshot_counts;
};

// A command waiting in an aggregate actor's queue, with the conflict retries it has left.
struct queued_command {
  command_message job;
  std::size_t retries_left = 0;
  // Its expected version was newer than the actor's: the stream was read again for it.
  bool reread = false;
  // Its append met a conflict and it has no retries left: answered with this, unless the
  // stream read again shows its ID recorded (another writer ran the same command first).
  std::optional<error> conflict_unless_repeated{};
};

struct aggregate_actor_state {
  std::shared_ptr<const aggregate_model> model;
  std::string aggregate_id;
  std::string stream;
  std::shared_ptr<const aggregate_environment> environment;
  std::unique_ptr<aggregate_instance> instance;  // null until hydrated
  std::uint64_t version = 0;                     // of the last applied event
  command_memory commands;                       // the last command IDs the stream recorded
  std::uint64_t events_since_snapshot = 0;       // applied since the last snapshot (or start)
  std::uint64_t bytes_since_snapshot = 0;        // their JSON payloads' bytes
  bool awaiting_store = false;                   // an append of ours is at the store actor
  bool hydrating = false;                        // our stream is being read to rehydrate
  fifo_queue<std::variant<queued_command, visit_message>> waiting;  // not yet started
  caf::actor_addr router;            // asked to passivate us when we turn out to have no events
  bool asked_to_passivate = false;   // asked the router already (until it asks back)
  bool refused_passivation = false;  // refused one while busy: offer it again once idle
  static inline const char* name = "esk.aggregate";
  // Waiting for the store (an append or a rehydration read): what arrives meanwhile queues.
  bool busy() const { return awaiting_store || hydrating; }
};

// "User 42": how errors and logs name the instance.
std::string describe(const aggregate_actor_state& state);

// `cause` with "<instance>: <command_type>: " in front of its message.
error with_context(const aggregate_actor_state& state, const std::string& command_type,
                   const error& cause);

// Accepts command_message, visit_message and passivate_atom (answers false while it has work,
// else true, and stops). Once idle, an actor whose stream has no events asks `router` to
// passivate it (so reads and refused commands of IDs that do not exist leave no actor behind),
// and so does one that refused a passivation while busy.
// When an append fails it drops its state (see command_batch.hpp); after a conflict, with
// conflict_retries > 0, it rehydrates and decides the command again, at most that often.
caf::behavior aggregate_actor(caf::stateful_actor<aggregate_actor_state>* self,
                              std::shared_ptr<const aggregate_model> model,
                              std::string aggregate_id,
                              std::shared_ptr<const aggregate_environment> environment,
                              caf::actor_addr router);

}  // namespace esk::actors
