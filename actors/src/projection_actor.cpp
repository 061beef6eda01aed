#include "projection_actor.hpp"

#include <algorithm>
#include <exception>
#include <utility>
#include <vector>

#include "projection_failures.hpp"

namespace esk::actors {
namespace {

using self_pointer = caf::stateful_actor<projection_actor_state>*;

constexpr std::size_t catch_up_page = 1024;

// Applies one event unless it was seen or the projection is held (stopped, retrying, unable to
// open its batch). Returns false when the projection cannot go on now.
bool apply_one(self_pointer self, const recorded_event& event) {
  auto& state = self->state;
  if (held(state)) return false;
  if (event.position < state.next_position) return true;  // seen
  try {
    auto opened = state.checkpoints->apply([&](sql_transaction* sql) {
      state.setup.user_projection->apply_with_context(event, event_context{event, sql});
    });
    if (!opened) {
      note_read_failure(state, opened.error_value());
      return false;
    }
  } catch (...) {
    return handle_throw(self, event, describe_current_exception());
  }
  advance(self, event.position);
  return !state.read_failure;  // a failed save went back to its last commit: read from there
}

// Tells the rebuild's caller how far it has come; what the callback throws is not its business.
void report_progress(const projection_actor_state& state, std::uint64_t last) {
  try {
    state.rebuild_progress(rebuild_progress{state.next_position - 1, last});
  } catch (...) {
    write_log(*state.setup.log, describe(state) + ": the rebuild's progress callback threw: " +
                                    describe_current_exception());
  }
}

// Applies stored events until `last` (inclusive) is reached or the log ends, page by page.
// Errors: the projection's own failure, or store_unavailable when a read fails (nothing is
// skipped). Saves the checkpoint once there.
status catch_up(self_pointer self, std::uint64_t last) {
  auto& state = self->state;
  state.known_last = std::max(state.known_last, last);
  if (held(state)) return *holding_error(state);
  if (state.next_position <= last) {
    state.live = false;
    publish(state);
  }
  bool going_on = true;
  // One page, read into again and again: its events' strings keep their memory from one page
  // to the next, so the store allocates (almost) nothing per event (event_store::read_all_into).
  std::vector<recorded_event> page;
  while (going_on && state.next_position <= last) {
    // A long catch-up holds the mailbox; the engine's destructor must not wait for all of it.
    if (state.setup.feed->stopping.load())
      return error{error_kind::shutting_down, describe(state) + " stops amid its catch-up"};
    if (auto read = state.setup.store->read_all_into(page, state.next_position, catch_up_page);
        !read)
      return note_read_failure(state, read.error_value());
    note_read_success(state);
    if (page.empty()) break;
    for (const auto& event : page)
      if (!(going_on = apply_one(self, event))) break;
    publish(state);
    if (state.rebuild_progress) report_progress(state, last);
  }
  if (!going_on) return *holding_error(state);
  save_checkpoint(self);
  if (auto held_by = holding_error(state)) return *held_by;
  state.live = true;
  publish(state);
  return {};
}

// Loads the checkpoint on the first call. Errors: store_unavailable.
status start(projection_actor_state& state) {
  if (state.started) return {};
  auto loaded = state.checkpoints->load();
  if (!loaded) return note_read_failure(state, loaded.error_value());
  state.started = true;
  state.next_position = *loaded + 1;
  if (*loaded > 0)
    write_log(*state.setup.log, describe(state) + " resumes after its checkpoint, position " +
                                    std::to_string(*loaded));
  return {};
}

// Reads up to the end of the log (starting first if needed); when the store cannot be read,
// tries again later, each time waiting twice as long, up to backoff.last.
void read_to_end(self_pointer self) {
  auto& state = self->state;
  const auto delay = state.retry_delay;
  state.retry_delay = std::chrono::milliseconds{0};
  status outcome = start(state);
  if (outcome) {
    auto last = state.setup.store->last_position();
    outcome = last ? catch_up(self, std::max(*last, state.known_last))
                   : status{note_read_failure(state, last.error_value())};
  }
  publish(state);
  if (outcome || outcome.kind() != error_kind::store_unavailable || held(state)) return;
  state.retry_delay = std::clamp(delay * 2, state.backoff.first, state.backoff.last);
  self->delayed_send(self, state.retry_delay, catch_up_atom::value);
}

// Reads the log again after backoff.first, unless a read retry is already scheduled.
void schedule_read_retry(self_pointer self) {
  auto& state = self->state;
  if (state.retry_delay.count() > 0) return;
  state.retry_delay = state.backoff.first;
  self->delayed_send(self, state.retry_delay, catch_up_atom::value);
}

// Answers `request` now, or holds it while a retry of a failed event is scheduled.
void answer_sync(self_pointer self, sync_message request) {
  auto& state = self->state;
  if (state.retry_failure) {
    state.waiting_syncs.push_back(std::move(request));
    return;
  }
  status outcome = start(state);
  if (outcome) outcome = catch_up(self, request->position);
  if (state.retry_failure) {
    state.waiting_syncs.push_back(std::move(request));
    return;
  }
  if (!outcome && outcome.kind() == error_kind::store_unavailable) schedule_read_retry(self);
  request->done(std::move(outcome));
}

// Answers the sync requests held during a retry, once the retry has an outcome.
void answer_waiting_syncs(self_pointer self) {
  auto waiting = std::move(self->state.waiting_syncs);
  self->state.waiting_syncs.clear();
  for (auto& request : waiting) answer_sync(self, std::move(request));
}

// Starts the read model over and applies the log up to its current end. A SQLite read model is
// built in a shadow keeper and swapped in once complete; until then (and when the rebuild
// fails) the projection keeps its old model and position. Others are reset and rebuilt in
// place. Errors: invalid_argument (projection::reset() refused), store_unavailable, the
// handler's failure (as a catch-up's), shutting_down.
status rebuild(self_pointer self, const rebuild_progress_callback& progress) {
  auto& state = self->state;
  if (auto started = start(state); !started) return started;
  save_checkpoint(self);  // what was applied so far is committed, a shadow starts empty
  if (held(state) && !state.failure) return *holding_error(state);
  auto last = state.setup.store->last_position();
  if (!last) return note_read_failure(state, last.error_value());
  auto shadow = state.checkpoints->make_shadow();
  if (!shadow) return shadow.error_value();
  const std::uint64_t old_next = state.next_position;
  std::unique_ptr<checkpoint_keeper> model_in_use;
  if (*shadow) {
    model_in_use = std::exchange(state.checkpoints, std::move(*shadow));
  } else {
    try {
      state.setup.user_projection->reset();
    } catch (...) {
      return error{error_kind::invalid_argument,
                   describe(state) + ": " + describe_current_exception()};
    }
    if (auto reset = state.checkpoints->reset_checkpoint(); !reset) return reset;
  }
  state.failure.reset();
  state.attempts = 0;
  state.next_position = 1;
  state.rebuild_progress = progress;
  status built = catch_up(self, *last);
  state.rebuild_progress = nullptr;
  if (!model_in_use) return built;
  auto rebuilt = std::exchange(state.checkpoints, std::move(model_in_use));
  if (built) built = state.checkpoints->adopt(std::move(rebuilt));
  if (!built) state.next_position = old_next;  // the old model stays, where it was
  publish(state);
  return built;
}

// Reads the store up to `announced`, the log's end as a commit announcement told it (commits of
// other processes too). Nothing to do when the live feed brought it that far already; while a
// read retry is scheduled or the projection is held, only remembers it.
void follow_announcement(self_pointer self, std::uint64_t announced) {
  auto& state = self->state;
  state.known_last = std::max(state.known_last, announced);
  if (state.retry_delay.count() > 0 || held(state)) return;
  if (state.started && announced < state.next_position) return;
  status outcome = start(state);
  if (outcome) outcome = catch_up(self, announced);
  publish(state);
  if (!outcome && outcome.kind() == error_kind::store_unavailable) schedule_read_retry(self);
}

void on_committed(self_pointer self, const committed_events& batch) {
  auto& state = self->state;
  state.setup.feed->buffered -= batch->size();
  const std::uint64_t batch_last = batch->back().position;
  if (!state.started || held(state) || state.read_failure || state.retry_delay.count() > 0) {
    // Not reading live now; the batch is in the store, read when the projection gets there.
    state.known_last = std::max(state.known_last, batch_last);
    return;
  }
  for (const auto& event : *batch) {
    if (event.position > state.next_position) {
      if (auto filled = catch_up(self, event.position - 1); !filled) {
        state.known_last = std::max(state.known_last, batch_last);
        if (filled.kind() == error_kind::store_unavailable) schedule_read_retry(self);
        return;
      }
    }
    if (!apply_one(self, event)) break;
  }
  state.known_last = std::max(state.known_last, batch_last);
  if (state.read_failure) schedule_read_retry(self);  // its read model could not open a batch
  // Nothing more in the mailbox: caught up, so the checkpoint is saved now.
  if (state.setup.feed->buffered.load() == 0) save_checkpoint(self);
  if (!held(state)) state.live = true;
  publish(state);
}

}  // namespace

projection_actor_state::~projection_actor_state() {
  if (checkpoints && started && unsaved > 0 && !held(*this)) {
    if (auto saved = checkpoints->save(next_position - 1); !saved)
      write_log(*setup.log, describe(*this) + " could not save its checkpoint at shutdown: " +
                                saved.error_value().message);
  }
}

caf::behavior projection_actor(self_pointer self, projection_setup setup) {
  auto& state = self->state;
  state.projection_name = setup.user_projection->name();
  state.checkpoints =
      make_checkpoint_keeper(setup.options.checkpoints, state.projection_name, setup.store);
  state.setup = std::move(setup);
  state.setup.options.checkpoint_every =
      std::max<std::size_t>(state.setup.options.checkpoint_every, 1);
  publish(state);
  return {
      [=](committed_events& batch) { on_committed(self, batch); },
      [=](catch_up_atom) { read_to_end(self); },
      [=](behind_atom) {
        // Cleared before reading, so a batch the store actor drops after this is in the read.
        self->state.setup.feed->behind_sent = false;
        if (self->state.retry_delay.count() == 0) read_to_end(self);
      },
      [=](commits_announced_atom) {
        // Cleared before reading, so an announcement made after this is handled again.
        self->state.setup.feed->announcement_sent = false;
        follow_announcement(self, self->state.setup.feed->announced.load());
      },
      [=](retry_event_atom) {
        self->state.retry_failure.reset();
        read_to_end(self);
        answer_waiting_syncs(self);
      },
      [=](restart_atom) {
        if (!restart(self->state)) return;
        read_to_end(self);
      },
      [=](sync_message& request) { answer_sync(self, std::move(request)); },
      [=](rebuild_message& request) { request->done(rebuild(self, request->progress)); },
  };
}

}  // namespace esk::actors
