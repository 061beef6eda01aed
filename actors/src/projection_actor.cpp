#include "projection_actor.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include "messages.hpp"

namespace esk::actors {
namespace {

using self_pointer = caf::stateful_actor<projection_actor_state>*;

constexpr std::size_t catch_up_page = 1024;

std::string describe(const projection_actor_state& state) {
  return "projection '" + state.user_projection->name() + "'";
}

void apply_one(projection_actor_state& state, const recorded_event& event) {
  if (state.failure || event.position < state.next_position) return;  // failed, or seen
  try {
    state.user_projection->apply(event);
    state.next_position = event.position + 1;
  } catch (...) {
    state.failure = error{error_kind::handler_failed,
                          describe(state) + " threw at position " + std::to_string(event.position) +
                              " (" + event.type + "): " + describe_current_exception()};
    write_log(*state.log, state.failure->message + "; it stops here");
  }
}

// Notes a failed read of the log (logged once per outage) and returns the error callers see.
error note_read_failure(projection_actor_state& state, const error& cause) {
  error failure{error_kind::store_unavailable,
                describe(state) + " is at position " + std::to_string(state.next_position - 1) +
                    " and cannot read the events after it (retrying): " + cause.message};
  if (!state.read_failure) write_log(*state.log, failure.message);
  state.read_failure = failure;
  return failure;
}

void note_read_success(projection_actor_state& state) {
  if (state.read_failure)
    write_log(*state.log, describe(state) + " reads the log again, from position " +
                              std::to_string(state.next_position));
  state.read_failure.reset();
}

// Applies stored events until `last` (inclusive) is reached or the log ends. Errors: the
// projection's own failure, or store_unavailable when a read fails (nothing is skipped).
status catch_up(projection_actor_state& state, std::uint64_t last) {
  state.known_last = std::max(state.known_last, last);
  while (!state.failure && state.next_position <= last) {
    auto page = state.store->read_all(state.next_position, catch_up_page);
    if (!page) return note_read_failure(state, page.error_value());
    note_read_success(state);
    if (page->empty()) break;
    for (const auto& event : *page) apply_one(state, event);
  }
  if (state.failure) return *state.failure;
  return {};
}

// Reads the log again after `retry_delay`, unless a retry is already scheduled.
void schedule_retry(self_pointer self) {
  auto& state = self->state;
  if (state.retry_delay.count() > 0) return;
  state.retry_delay = state.backoff.first;
  self->delayed_send(self, state.retry_delay, catch_up_atom::value);
}

// The retry (or the first catch-up): reads up to the end of the log; on failure tries again
// later, each time waiting twice as long, up to backoff.last.
void retry_catch_up(self_pointer self) {
  auto& state = self->state;
  const auto delay = state.retry_delay;
  state.retry_delay = std::chrono::milliseconds{0};
  auto last = state.store->last_position();
  status outcome = last ? catch_up(state, std::max(*last, state.known_last))
                        : status{note_read_failure(state, last.error_value())};
  if (outcome || outcome.kind() != error_kind::store_unavailable) return;
  state.retry_delay = std::clamp(delay * 2, state.backoff.first, state.backoff.last);
  self->delayed_send(self, state.retry_delay, catch_up_atom::value);
}

}  // namespace

caf::behavior projection_actor(self_pointer self, std::shared_ptr<projection> user_projection,
                               std::shared_ptr<event_store> store,
                               std::shared_ptr<const log_sink> log) {
  self->state.user_projection = std::move(user_projection);
  self->state.store = std::move(store);
  self->state.log = std::move(log);
  return {
      [=](committed_events& batch) {
        auto& state = self->state;
        for (const auto& event : *batch) {
          if (event.position > state.next_position) {
            if (auto filled = catch_up(state, event.position - 1); !filled) {
              // The rest of the batch is in the store; read it once the log is readable.
              state.known_last = std::max(state.known_last, batch->back().position);
              if (filled.kind() == error_kind::store_unavailable) schedule_retry(self);
              return;
            }
          }
          apply_one(state, event);
        }
        state.known_last = std::max(state.known_last, batch->back().position);
      },
      [=](catch_up_atom) { retry_catch_up(self); },
      [=](sync_message& request) {
        auto outcome = catch_up(self->state, request->position);
        if (!outcome && outcome.kind() == error_kind::store_unavailable) schedule_retry(self);
        request->done(std::move(outcome));
      },
  };
}

}  // namespace esk::actors
