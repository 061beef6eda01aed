// How an aggregate actor commits the commands queued behind an append in one append: it
// decides them in order, each on the state the previous ones leave (their events applied
// before the store answered), and sends all their events as one request (one transaction).
// The outcome is exactly what serial execution gives:
// - a command decided on the committed state with nothing to append (a rejection, no events)
//   is answered at once; one decided after a command with events waits for the append, since
//   the state it was decided on exists only if the append commits;
// - a command that names an expected version is checked, before its handler runs, against
//   the version the stream will be at when its turn comes (a mismatch is a conflict, answered
//   like a rejection); one that expects a newer version than the actor has makes it read the
//   stream again first (another writer may have moved it on);
// - when the append commits, every command gets its own events (or its held answer);
// - when it fails, the state is dropped (it holds events that were not recorded). On a
//   conflict the first command fails with it (or retries, the conflict_retries policy) and the
//   others go back to the front of the queue, to be decided again on the reloaded state. On
//   any other error every command with events fails with it (they shared one transaction,
//   whose outcome may be unknown) and the others are decided again.
// Internal to the actors layer.
#pragma once

#include <boost/container/small_vector.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aggregate_actor.hpp"

namespace esk::actors {

// The most commands one append carries (the rest form the next one).
inline constexpr std::size_t max_commands_per_append = 256;

// One command of a batch: how many of the append's events are its own, or the answer it was
// decided to get on the state the append will leave.
struct batched_command {
  command_message job;
  std::size_t retries_left = 0;
  std::size_t event_count = 0;
  std::optional<command_result> held_answer;  // when event_count == 0
};

// The commands of one append and its request (moved out when it is sent). The first command
// lives in the batch itself: most appends carry one (a vector would allocate for it).
struct command_batch {
  boost::container::small_vector<batched_command, 1> commands;
  append_request request;
  // What an event handler threw while applying a decided event (the instance was dropped
  // then, and the batch closed); logged once the outcome is known.
  std::string apply_failure;
};

// Takes commands from the front of state.waiting (up to a state reader, the end of the queue
// or max_commands_per_append) and decides each on the instance, applying the decided events
// to it. Answers the commands it can answer at once. Returns the batch to append, or null when
// none of the commands decided events. REQUIRES: state.instance hydrated, no append in flight,
// a command at the front of state.waiting.
std::shared_ptr<command_batch> decide_batch(aggregate_actor_state& state);

// Answers the batch's commands after its append recorded `recorded` (all its events, in
// order), and advances the state's version. Returns the snapshot job if one is now due (hand
// it off after this returns).
snapshot_message settle_committed(aggregate_actor_state& state, command_batch& batch,
                                  std::vector<recorded_event> recorded);

// Drops the instance, then answers or requeues the batch's commands after its append failed
// with `cause` (see the file comment).
void settle_failed(aggregate_actor_state& state, command_batch& batch, const error& cause);

}  // namespace esk::actors
