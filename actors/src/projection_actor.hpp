// A projection actor: feeds one user projection the committed events after its checkpoint, once
// each and in position order. Live commits come from the store actor; anything it did not get
// (events before it subscribed, committed by another process, or not sent because it was more
// than max_buffered_events behind) is read from the store in pages to fill the gap. On a store
// shared with other processes (PostgreSQL), the engine's commit follower announces their
// commits (commits_announced_atom), so it reads them promptly rather than at its next own commit.
//
// It never skips a position unless its failure policy says skip: when a read fails, the
// projection stays at its last applied event, drops the live events beyond the gap (they are in
// the store) and reads again with a bounded backoff; when its handler throws, the policy stops
// it (until restarted), retries the event after a backoff, or skips it. Runs detached (a thread
// of its own), so catch-up reads and slow handlers never hold up the scheduler's threads.
#pragma once

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "esk/error.hpp"
#include "esk/log_sink.hpp"
#include "esk/projection.hpp"
#include "esk/projection_options.hpp"
#include "esk/store/event_store.hpp"
#include "messages.hpp"
#include "projection_checkpoints.hpp"
#include "projection_feed.hpp"

namespace esk::actors {

// How long a projection waits before reading the log again after a failed read: doubling
// from the first delay up to the last.
struct read_retry_backoff {
  std::chrono::milliseconds first{10};
  std::chrono::milliseconds last{1000};
};

// What a projection actor is given when spawned.
struct projection_setup {
  std::shared_ptr<projection> user_projection;
  projection_options options;
  std::shared_ptr<event_store> store;
  std::shared_ptr<const log_sink> log;  // never null (an empty sink = stderr)
  std::shared_ptr<live_feed> feed;
  std::shared_ptr<projection_board> board;
};

struct projection_actor_state {
  projection_setup setup;
  std::string projection_name;
  std::unique_ptr<checkpoint_keeper> checkpoints;
  read_retry_backoff backoff;
  bool started = false;                // the checkpoint was loaded
  bool live = false;                   // caught up with the log end it last knew
  std::uint64_t next_position = 1;     // the first position not applied yet
  std::uint64_t known_last = 0;        // the highest committed position it knows of
  std::size_t unsaved = 0;             // events applied (or skipped) since the last checkpoint
  std::uint64_t skipped = 0;           // events skipped under failure_policy::skip
  std::size_t attempts = 0;            // failed attempts at next_position so far
  std::optional<error> failure;        // stopped here, until restarted
  std::optional<error> retry_failure;  // a retry of next_position is scheduled
  std::optional<error> read_failure;   // the last failed read, until a read succeeds again
  std::chrono::milliseconds retry_delay{0};    // the next read retry's delay; 0 = none scheduled
  std::vector<sync_message> waiting_syncs;     // sync requests held while a retry is scheduled
  rebuild_progress_callback rebuild_progress;  // set while a rebuild applies the log again
  // Saves the checkpoint of what was applied, if it can (a detached actor's state dies on its
  // own thread, where blocking is fine).
  ~projection_actor_state();
  static inline const char* name = "esk.projection";
};

// Accepts committed_events, catch_up_atom (read the log up to its end; the first one loads the
// checkpoint), behind_atom (the store actor stopped sending: read the store), retry_event_atom,
// restart_atom (a stopped projection goes on from its failed event), rebuild_message (applies
// the log again from position 1: a SQLite read model into a shadow file swapped in at the end,
// so readers keep the old model meanwhile; others in place after projection::reset()),
// sync_message (answered
// once every event up to its position is applied: with the failure that stopped the projection,
// store_unavailable while the log cannot be read, or success).
caf::behavior projection_actor(caf::stateful_actor<projection_actor_state>* self,
                               projection_setup setup);

}  // namespace esk::actors
