#include "projection_failures.hpp"

#include <algorithm>
#include <utility>

namespace esk::actors {

std::string describe(const projection_actor_state& state) {
  return "projection '" + state.projection_name + "'";
}

bool held(const projection_actor_state& state) { return state.failure || state.retry_failure; }

std::optional<error> holding_error(const projection_actor_state& state) {
  if (state.failure) return state.failure;
  if (state.retry_failure) return state.retry_failure;
  return state.read_failure;
}

error note_read_failure(projection_actor_state& state, const error& cause) {
  error failure{error_kind::store_unavailable,
                describe(state) + " is at position " + std::to_string(state.next_position - 1) +
                    " and cannot read the events after it (retrying): " + cause.message};
  if (!state.read_failure) write_log(*state.setup.log, failure.message);
  state.read_failure = failure;
  state.live = false;
  return failure;
}

void note_read_success(projection_actor_state& state) {
  if (state.read_failure)
    write_log(*state.setup.log, describe(state) + " reads the log again, from position " +
                                    std::to_string(state.next_position));
  state.read_failure.reset();
}

void advance(projection_self self, std::uint64_t position) {
  auto& state = self->state;
  state.next_position = position + 1;
  state.attempts = 0;
  if (++state.unsaved >= state.setup.options.checkpoint_every)
    save_checkpoint(self, checkpoint_sync::unsynced);
}

void save_checkpoint(projection_self self, checkpoint_sync sync) {
  auto& state = self->state;
  if (!state.started || state.unsaved == 0) return;
  const std::uint64_t position = state.next_position - 1;
  auto saved = sync == checkpoint_sync::synced ? state.checkpoints->save(position)
                                               : state.checkpoints->save_unsynced(position);
  if (saved) {
    state.unsaved = 0;
    return;
  }
  if (auto back = state.checkpoints->rolled_back_to()) {
    state.next_position = *back + 1;
    state.unsaved = 0;
    note_read_failure(state, saved.error_value());
    if (state.retry_delay.count() == 0) {
      state.retry_delay = state.backoff.first;
      self->delayed_send(self, state.retry_delay, catch_up_atom::value);
    }
    return;
  }
  write_log(*state.setup.log,
            describe(state) + " could not save its checkpoint at position " +
                std::to_string(state.next_position - 1) +
                " (tries again at the next save): " + saved.error_value().message);
}

namespace {

// The delay before retry number `attempt` (1-based): first_delay doubling up to last_delay.
std::chrono::milliseconds retry_delay(const failure_policy& policy, std::size_t attempt) {
  auto delay = std::max(policy.first_delay, std::chrono::milliseconds(1));
  for (std::size_t i = 1; i < attempt && delay < policy.last_delay; ++i) delay *= 2;
  return std::min(delay, std::max(policy.last_delay, std::chrono::milliseconds(1)));
}

}  // namespace

bool handle_throw(projection_self self, const recorded_event& event, const std::string& what) {
  auto& state = self->state;
  const auto& policy = state.setup.options.on_failure;
  error failed{error_kind::handler_failed, describe(state) + " threw at position " +
                                               std::to_string(event.position) + " (" + event.type +
                                               "): " + what};
  if (policy.on_throw == failure_policy::action::skip) {
    ++state.skipped;
    write_log(*state.setup.log, failed.message + "; skipped (failure_policy::skip)");
    advance(self, event.position);
    return true;
  }
  save_checkpoint(self);  // the events before it were applied
  if (policy.on_throw == failure_policy::action::retry && state.attempts < policy.retries) {
    ++state.attempts;
    const auto delay = retry_delay(policy, state.attempts);
    write_log(*state.setup.log, failed.message + "; retry " + std::to_string(state.attempts) +
                                    " of " + std::to_string(policy.retries) + " in " +
                                    std::to_string(delay.count()) + " ms");
    state.retry_failure = std::move(failed);
    state.live = false;
    publish(state);
    self->delayed_send(self, delay, retry_event_atom::value);
    return false;
  }
  if (state.attempts > 0)
    failed.message += " (after " + std::to_string(state.attempts) + " retries)";
  write_log(*state.setup.log,
            failed.message + "; it stops here (runtime::restart_projection goes on)");
  state.failure = std::move(failed);
  state.live = false;
  publish(state);
  return false;
}

bool restart(projection_actor_state& state) {
  if (!state.failure) return false;
  state.failure.reset();
  state.attempts = 0;
  write_log(*state.setup.log,
            describe(state) + " restarts at position " + std::to_string(state.next_position));
  publish(state);
  return true;
}

void publish(const projection_actor_state& state) {
  projection_status status;
  if (state.failure)
    status.state = projection_state::stopped;
  else if (state.retry_failure)
    status.state = projection_state::retrying;
  else if (!state.started || !state.live || state.read_failure)
    status.state = projection_state::catching_up;
  else
    status.state = projection_state::running;
  status.position = state.started ? state.next_position - 1 : 0;
  status.skipped = state.skipped;
  status.failure = state.failure ? state.failure : state.retry_failure;
  status.read_failure = state.read_failure;
  state.setup.board->publish(std::move(status));
}

}  // namespace esk::actors
