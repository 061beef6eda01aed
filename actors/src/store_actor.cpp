#include "store_actor.hpp"

#include <algorithm>
#include <caf/atom.hpp>
#include <exception>
#include <utility>

#include "messages.hpp"

namespace esk::actors {

// Store actor <-> writer: one batch to commit, and its outcomes (one per request, in order).
struct commit_batch_job {
  std::vector<append_request> requests;
};
struct commit_batch_outcome {
  std::vector<result<std::vector<recorded_event>>> outcomes;
  double commit_us = 0;
};
using commit_job_message = std::shared_ptr<commit_batch_job>;
using commit_outcome_message = std::shared_ptr<commit_batch_outcome>;

}  // namespace esk::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::commit_job_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::commit_outcome_message)

namespace esk::actors {
namespace {

using self_pointer = caf::stateful_actor<store_actor_state>*;
using clock_type = std::chrono::steady_clock;

// Runs the store's group commit into `outcome` (its outcomes vector reused), timing it. Never
// throws. The requests are given up: the store may move their events into the outcomes
// (nothing reads a request after its commit; a failed batch is answered from the error
// alone). `batch` is left valid but unspecified.
void commit(event_store& store, std::vector<append_request>&& batch,
            commit_batch_outcome& outcome) {
  const std::size_t count = batch.size();
  const auto started = clock_type::now();
  try {
    store.append_batch_moving_into(std::move(batch), outcome.outcomes);
  } catch (...) {
    // A backend must return errors as values; if one throws anyway, fail the batch, not the actor.
    outcome.outcomes.clear();
    const std::string cause = "store append failed: " + describe_current_exception();
    for (std::size_t i = 0; i < count; ++i)
      outcome.outcomes.emplace_back(error{error_kind::store_unavailable, cause});
  }
  outcome.commit_us =
      std::chrono::duration<double, std::micro>(clock_type::now() - started).count();
}

// The writer: owns the blocking store call on its own thread. One batch at a time.
caf::behavior store_writer(caf::event_based_actor*, std::shared_ptr<event_store> store) {
  return {[store](commit_job_message& job) {
    auto outcome = std::make_shared<commit_batch_outcome>();
    commit(*store, std::move(job->requests), *outcome);
    return outcome;
  }};
}

void schedule_flush(self_pointer self);

// Replies to the first `count` appends of `batch` and forwards the committed events to
// projections.
void finish_batch(self_pointer self, std::vector<store_actor_state::pending_append>& batch,
                  std::size_t count, commit_batch_outcome& outcome) {
  auto& state = self->state;
  state.average_commit_us = state.average_commit_us == 0
                                ? outcome.commit_us
                                : 0.9 * state.average_commit_us + 0.1 * outcome.commit_us;
  std::size_t events = 0;
  for (const auto& result : outcome.outcomes)
    if (result.ok()) events += result->size();
  state.counts->count_batch(count, events);
  std::shared_ptr<std::vector<recorded_event>> committed;
  if (!state.projections.empty()) {
    committed = std::make_shared<std::vector<recorded_event>>();
    for (const auto& result : outcome.outcomes)
      if (result.ok()) committed->insert(committed->end(), result->begin(), result->end());
  }
  for (std::size_t i = 0; i < count; ++i) {
    batch[i].append->outcome = std::move(outcome.outcomes[i]);
    batch[i].promise.deliver(std::move(batch[i].append));
  }
  if (committed && !committed->empty()) {
    committed_events message = std::move(committed);
    for (const auto& subscriber : state.projections) {
      live_feed& feed = *subscriber.feed;
      if (feed.buffered.load() + message->size() > feed.bound) {
        // Too far behind: the events are in the store, and one behind_atom makes it read there.
        if (!feed.behind_sent.exchange(true)) self->send(subscriber.projection, behind_atom::value);
        continue;
      }
      feed.buffered += message->size();
      self->send(subscriber.projection, message);
    }
  }
}

// Takes up to max_batch queued appends, oldest first.
std::vector<store_actor_state::pending_append> take_batch(store_actor_state& state) {
  std::vector<store_actor_state::pending_append> batch;
  if (state.queue.size() <= state.settings.max_batch) {
    batch.swap(state.queue);
    return batch;
  }
  const auto end = state.queue.begin() + static_cast<std::ptrdiff_t>(state.settings.max_batch);
  batch.assign(std::make_move_iterator(state.queue.begin()), std::make_move_iterator(end));
  state.queue.erase(state.queue.begin(), end);
  return batch;
}

bool commits_inline(const store_actor_state& state, std::size_t batch_size) {
  return batch_size <= state.settings.inline_max_batch ||
         state.average_commit_us < static_cast<double>(state.settings.pipeline_above.count());
}

// Commits up to max_batch queued appends in the store actor itself, reusing its buffers (the
// common case in memory and for tiny batches allocates nothing here per batch).
void flush_inline(self_pointer self) {
  auto& state = self->state;
  const std::size_t count = std::min(state.queue.size(), state.settings.max_batch);
  std::vector<append_request>& requests = state.inline_requests;
  requests.clear();
  for (std::size_t i = 0; i < count; ++i)
    requests.push_back(std::move(state.queue[i].append->request));
  commit_batch_outcome outcome;
  outcome.outcomes.swap(state.inline_outcomes);  // their memory, reused from batch to batch
  commit(*state.store, std::move(requests), outcome);
  finish_batch(self, state.queue, count, outcome);
  state.inline_outcomes.swap(outcome.outcomes);
  requests.clear();  // after the answers: freeing the events' strings need not delay them
  state.queue.erase(state.queue.begin(), state.queue.begin() + static_cast<std::ptrdiff_t>(count));
  if (!state.queue.empty()) schedule_flush(self);  // what max_batch left behind
}

// Commits the queued appends (one batch). REQUIRES: the writer is idle.
void flush(self_pointer self) {
  auto& state = self->state;
  if (state.queue.empty() || state.writer_busy) return;
  if (commits_inline(state, std::min(state.queue.size(), state.settings.max_batch))) {
    flush_inline(self);
    return;
  }
  auto batch = std::make_shared<std::vector<store_actor_state::pending_append>>(take_batch(state));
  auto job = std::make_shared<commit_batch_job>();
  job->requests.reserve(batch->size());
  for (auto& item : *batch) job->requests.push_back(std::move(item.append->request));

  if (!state.writer)
    state.writer = self->spawn<caf::detached + caf::linked>(store_writer, state.store);
  state.writer_busy = true;
  const std::size_t count = batch->size();
  self->request(state.writer, caf::infinite, std::move(job))
      .then(
          [self, batch](commit_outcome_message& outcome) {
            self->state.writer_busy = false;
            finish_batch(self, *batch, batch->size(), *outcome);
            // Everything that queued during the commit forms the next batch right away.
            flush(self);
          },
          [self, batch, count](caf::error& failure) {
            self->state.writer_busy = false;
            commit_batch_outcome failed;
            for (std::size_t i = 0; i < count; ++i)
              failed.outcomes.emplace_back(error{error_kind::store_unavailable,
                                                 "store writer failed: " + to_string(failure)});
            finish_batch(self, *batch, count, failed);
            flush(self);
          });
}

void schedule_flush(self_pointer self) {
  if (self->state.flush_scheduled) return;
  self->state.flush_scheduled = true;
  // The flush goes behind every append already in the mailbox, so one commit takes them
  // all: that is the group commit.
  self->send(self, flush_atom::value);
}

}  // namespace

caf::behavior store_actor(self_pointer self, std::shared_ptr<event_store> store,
                          group_commit_settings settings,
                          std::shared_ptr<group_commit_counters> counts) {
  self->state.store = std::move(store);
  self->state.settings = settings;
  self->state.counts = std::move(counts);
  return {
      [=](append_message& request) {
        auto& state = self->state;
        state.queue.push_back({std::move(request), self->make_response_promise()});
        // While the writer commits, its reply starts the next batch; no flush needed.
        if (state.writer_busy || state.flush_scheduled) return;
        // Nothing else waits in the mailbox: no append could join this batch, so commit now
        // instead of sending the flush message to itself (one message and one allocation fewer).
        if (self->mailbox().empty())
          flush(self);
        else
          schedule_flush(self);
      },
      [=](flush_atom) {
        self->state.flush_scheduled = false;
        flush(self);
      },
      [=](const subscribe_message& subscription) {
        self->state.projections.push_back(*subscription);
      },
  };
}

}  // namespace esk::actors
