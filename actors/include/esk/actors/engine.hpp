// esk/actors/engine.hpp — the actor system behind a runtime, behind a CAF-free facade.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "esk/actors/aggregate_counts.hpp"
#include "esk/actors/aggregate_model.hpp"
#include "esk/actors/group_commit_settings.hpp"
#include "esk/actors/group_commit_statistics.hpp"
#include "esk/actors/stop_report.hpp"
#include "esk/log_sink.hpp"
#include "esk/projection.hpp"
#include "esk/projection_options.hpp"
#include "esk/result.hpp"
#include "esk/store/event_store.hpp"

namespace esk {

// How the actor system runs.
struct engine_options {
  std::size_t worker_threads = 0;    // scheduler threads; 0 = one per core
  std::size_t conflict_retries = 0;  // re-read and re-decide this often on conflict (see runtime)
  log_sink log{};                    // diagnostics nobody awaits; empty = stderr
  group_commit_settings group_commit{};
  // Passivation (see runtime_options): stop aggregate actors idle this long (0 = never) and
  // keep at most this many live, least recently used stopped first (0 = no cap).
  std::chrono::milliseconds passivate_after{0};
  std::size_t max_live_aggregates = 0;
  // Commands in flight at most; beyond it dispatch answers overloaded at once. 0 = no bound.
  std::size_t max_in_flight = 0;
  // Rehydrations reading the store at once, each on its own thread (at least 1).
  std::size_t max_concurrent_rehydrations = 4;
  // Command IDs each aggregate remembers, to answer a repeated command (see runtime_options).
  std::size_t remembered_commands = 1000;
};

// Owns the CAF actor system: a router that spawns one aggregate actor per aggregate ID, a
// store actor that group-commits appends, and one actor per projection.
// All member functions are thread-safe. Do not call the blocking ones from actor threads
// (inside a command callback or a projection).
class engine {
 public:
  // Starts the actor system on `store`. REQUIRES: store != nullptr.
  engine(std::shared_ptr<event_store> store, engine_options options);

  // Waits until every command already dispatched has completed, then stops all actors.
  // After stop(), returns promptly.
  ~engine();

  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  // Hands `command` to the aggregate actor for (aggregate, aggregate_id), spawning and
  // rehydrating it first if needed. Never blocks; `on_done` is called exactly once, on an
  // actor thread. With max_in_flight commands in flight it is answered overloaded at once;
  // once stop() began, shutting_down. Whatever `on_done` throws is logged and otherwise ignored:
  // the actors keep serving and the engine's count of unfinished work still drops.
  void dispatch(std::shared_ptr<const aggregate_model> aggregate, std::string aggregate_id,
                command_value command, command_callback on_done);

  // Answers a command that was refused before dispatch (unknown type, bad payload, ...) with
  // `cause`: `on_done` is called once, on an actor thread, like every other answer (and what
  // it throws is logged and ignored, as for dispatch).
  void refuse(command_callback on_done, error cause);

  // Calls `visitor` inside the actor of (aggregate, aggregate_id) once it has handled every
  // command dispatched to it before. Never blocks. Once stop() began, `visitor` gets
  // shutting_down.
  void visit(std::shared_ptr<const aggregate_model> aggregate, std::string aggregate_id,
             instance_visitor visitor);

  // Starts a projection actor (on a thread of its own) that catches up from the projection's
  // checkpoint (options.checkpoints), then follows every commit. Never blocks.
  // Errors: invalid_argument when a projection of that name was added before.
  status add_projection(std::shared_ptr<projection> projection, projection_options options);

  // The status of every projection, in the order they were added, with its lag behind the
  // store's last position. Never waits for a projection. Errors: store_unavailable (the last
  // position cannot be read).
  result<std::vector<projection_status>> projection_statuses();

  // Lets the stopped projection `name` go on from the event it failed at (its checkpoint is
  // there); a projection that is not stopped is left as it is. Never blocks.
  // Errors: invalid_argument when no projection has that name.
  status restart_projection(const std::string& name);

  // Rebuilds projection `name` from position 1 up to the log's end as the call finds it (see
  // runtime::rebuild_projection), calling `progress` on the projection's thread after each page.
  // Blocks until done. Errors: invalid_argument (no such projection, or one that cannot be
  // reset), store_unavailable, handler_failed, shutting_down.
  status rebuild_projection(const std::string& name, rebuild_progress_callback progress);

  // Blocks until every projection has applied every event committed before the call.
  // Errors: handler_failed (a projection threw; names it and the position),
  // store_unavailable (the store cannot be read: a projection that cannot read the events it
  // lacks stays where it is and retries with backoff), timeout.
  status sync_projections(std::chrono::milliseconds timeout);

  // Stops taking work: from now on dispatch and visit answer shutting_down. Waits until every
  // command in flight is answered, or until `deadline` from now; then stops the aggregate
  // actors, so each command still in flight is answered shutting_down. Blocks (at most a
  // little beyond `deadline`: the time for the actors to stop). Returns what it did; later
  // calls return the first call's report at once. Projections and the store stay up until
  // the destructor.
  stop_report stop(std::chrono::milliseconds deadline);

  // What the aggregates did with snapshots since the engine started. Never blocks.
  snapshot_statistics snapshot_stats() const;

  // How the store actor grouped appends into transactions since the engine started. Never
  // blocks.
  group_commit_statistics group_commit_stats() const;

  // Counts the live aggregate actors once no passivation is in progress (so an actor asked
  // to stop is counted stopped). Blocks. Errors: timeout.
  result<aggregate_counts> count_aggregates(std::chrono::milliseconds timeout);

  // The store the engine writes to.
  event_store& store();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace esk
