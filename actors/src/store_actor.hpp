// The store actor: the only writer to the event store within an engine. It group-commits:
// every append waiting in its mailbox goes into one store transaction (one fsync), then each
// caller gets its own reply, and the committed events go to the projection actors.
//
// Adaptive pipelining: a commit runs either inline (in the store actor) or on a detached
// writer actor that owns the blocking store call, so the next batch gathers while the disk
// syncs. Tiny batches, and stores whose commits are fast (in memory), commit inline: the
// thread hop would cost more than it hides. At most one batch commits at a time, so batches
// commit (and reach projections) in the order they were formed.
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

#include "esk/actors/group_commit_settings.hpp"
#include "esk/store/event_store.hpp"
#include "group_commit_counters.hpp"
#include "messages.hpp"

namespace esk::actors {

struct store_actor_state {
  struct pending_append {
    append_message append;  // its request is moved out when the batch commits
    caf::response_promise promise;
  };
  std::shared_ptr<event_store> store;
  group_commit_settings settings;
  std::vector<pending_append> queue;            // appends received and not yet handed to a commit
  std::vector<append_request> inline_requests;  // an inline commit's requests; kept for reuse
  bool flush_scheduled = false;                 // a flush message is already in the mailbox
  bool writer_busy = false;                     // a batch is committing on the writer
  caf::actor writer;                            // detached; spawned on the first pipelined batch
  double average_commit_us = 0;                 // moving average of commit durations
  // An inline commit's outcomes (moved out as they are answered); kept for reuse.
  std::vector<result<std::vector<recorded_event>>> inline_outcomes;
  std::vector<projection_subscription> projections;
  std::shared_ptr<group_commit_counters> counts;  // each batch, for runtime::group_commit_stats
  static inline const char* name = "esk.store";
};

// Accepts: append_message (replies append_reply after the durable commit of the batch it
// joined), subscribe_message (forward every later commit to that projection actor, as
// committed_events in position order, while it has fewer than its feed's bound of events
// unapplied; beyond that, one behind_atom tells it to read the store instead). Never blocks except
// while committing inline. Counts every batch it hands to the store on `counts`.
caf::behavior store_actor(caf::stateful_actor<store_actor_state>* self,
                          std::shared_ptr<event_store> store, group_commit_settings settings,
                          std::shared_ptr<group_commit_counters> counts);

}  // namespace esk::actors
