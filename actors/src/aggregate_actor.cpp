#include "aggregate_actor.hpp"

#include <exception>
#include <utility>

#include "aggregate_snapshots.hpp"
#include "esk/identifiers.hpp"
#include "esk/store/recorded_event.hpp"

namespace esk::actors {
namespace {

using self_pointer = caf::stateful_actor<aggregate_actor_state>*;

// "User 42": how errors name the instance.
std::string describe(const aggregate_actor_state& state) {
  return state.model->type_name + " " + state.aggregate_id;
}

error with_context(const aggregate_actor_state& state, const std::string& command_type,
                   const error& cause) {
  return {cause.kind, describe(state) + ": " + command_type + ": " + cause.message};
}

// Rebuilds the instance from its stream: from its snapshot, if the policy reads one, plus
// the later events. On failure the actor stays unhydrated and the next message tries again.
status hydrate(aggregate_actor_state& state) {
  if (state.instance) return {};
  auto instance = state.model->make_instance();
  const std::uint64_t snapshot_version = load_snapshot(state, instance);
  auto events = state.environment->store->read_stream(state.stream, snapshot_version + 1);
  if (!events) return events.error_value();
  try {
    for (const auto& event : *events)
      if (auto applied = instance->apply(event); !applied)
        return error{applied.kind(), "rehydrating " + describe(state) + " at version " +
                                         std::to_string(event.version) + ": " +
                                         applied.error_value().message};
  } catch (...) {
    return error{error_kind::handler_failed,
                 "rehydrating " + describe(state) +
                     ": an event handler threw: " + describe_current_exception()};
  }
  state.version = events->empty() ? snapshot_version : events->back().version;
  state.instance = std::move(instance);
  // The events replayed count toward the next snapshot, which the next command then takes.
  state.events_since_snapshot = 0;
  state.bytes_since_snapshot = 0;
  count_applied(state, *events);
  return {};
}

// The append for `decided`; moves the payloads out (apply needs only the typed values).
append_message make_append(const aggregate_actor_state& state, const command_value& command,
                           std::vector<decided_event>& decided) {
  auto request = std::make_shared<append_request>();
  request->stream = state.stream;
  request->expected_version = state.version;
  request->events.reserve(decided.size());
  const std::string recorded_at = utc_timestamp_now();
  for (auto& event : decided) {
    request->events.push_back({event.type,
                               std::move(event.payload),
                               {new_unique_id(), command.command_id, command.correlation_id,
                                command.causation_id, recorded_at}});
  }
  return request;
}

// Applies what the store recorded. If user code throws here the in-memory state can no
// longer be trusted: drop it, so the next message rehydrates from the store.
void apply_recorded(aggregate_actor_state& state, const std::vector<decided_event>& decided,
                    const command_result& outcome) {
  try {
    for (const auto& event : decided) state.instance->apply(event);
    state.version = outcome->back().version;
  } catch (...) {
    state.instance.reset();
    write_log(*state.environment->log, describe(state) +
                                           ": event handler threw after commit (state reloaded): " +
                                           describe_current_exception());
  }
}

void run_waiting(self_pointer self);
void offer_passivation_when_idle(self_pointer self);
void decide_and_append(self_pointer self, command_message job, std::size_t retries_left);

// Handles the store's answer to the append of `job`: applies the events, retries after a
// conflict (the conflict_retries policy), or fails the command.
void on_appended(self_pointer self, const command_message& job,
                 const std::vector<decided_event>& decided, command_result outcome,
                 std::size_t retries_left) {
  auto& state = self->state;
  if (outcome) {
    apply_recorded(state, decided, outcome);
    count_applied(state, *outcome);
    snapshot_message due = snapshot_if_due(state);
    job->complete(std::move(outcome));
    if (due) hand_off_snapshot(self, state, std::move(due));
    return;
  }
  // After a conflict our state is stale (another writer moved the stream on); after a store
  // error the append may or may not have committed. Either way, re-read before deciding again.
  if (outcome.kind() == error_kind::conflict || outcome.kind() == error_kind::store_unavailable)
    state.instance.reset();
  if (outcome.kind() == error_kind::conflict && retries_left > 0) {
    if (auto hydrated = hydrate(state); !hydrated) {
      job->complete(with_context(state, job->command.type, hydrated.error_value()));
      return;
    }
    decide_and_append(self, job, retries_left - 1);
    return;
  }
  job->complete(with_context(state, job->command.type, outcome.error_value()));
}

// Decides `job` on the hydrated instance and appends what it decided. While the store
// answers, the actor is awaiting_store and later work waits in its queue.
void decide_and_append(self_pointer self, command_message job, std::size_t retries_left) {
  auto& state = self->state;
  const auto& command = job->command;
  result<std::vector<decided_event>> decision = std::vector<decided_event>{};
  try {
    decision = state.instance->decide(command);
  } catch (...) {
    job->complete(error{error_kind::handler_failed, describe(state) + ": handler for " +
                                                        command.type +
                                                        " threw: " + describe_current_exception()});
    return;
  }
  if (!decision) {
    job->complete(with_context(state, command.type, decision.error_value()));
    return;
  }
  if (decision->empty()) {
    job->complete(std::vector<recorded_event>{});
    return;
  }
  auto decided = std::make_shared<std::vector<decided_event>>(std::move(*decision));
  state.awaiting_store = true;
  self->request(state.environment->store_actor, caf::infinite,
                make_append(state, command, *decided))
      .then(
          [=](append_reply& reply) {
            self->state.awaiting_store = false;
            on_appended(self, job, *decided, std::move(*reply), retries_left);
            run_waiting(self);
            offer_passivation_when_idle(self);
          },
          [=](caf::error& failure) {
            self->state.awaiting_store = false;
            self->state.instance.reset();
            job->complete(error{error_kind::store_unavailable,
                                describe(self->state) + ": " + job->command.type +
                                    ": store actor did not answer: " + to_string(failure)});
            run_waiting(self);
          });
}

void handle_command(self_pointer self, command_message job) {
  auto& state = self->state;
  if (auto hydrated = hydrate(state); !hydrated) {
    job->complete(with_context(state, job->command.type, hydrated.error_value()));
    return;
  }
  decide_and_append(self, std::move(job), state.environment->conflict_retries);
}

void handle_visit(self_pointer self, const visit_message& message) {
  auto& state = self->state;
  const auto& visitor = message->visitor;
  auto describe_visit = [&state] { return "a state reader of " + describe(state); };
  if (auto hydrated = hydrate(state); !hydrated) {
    call_user_callback(visitor, result<instance_view>{hydrated.error_value()},
                       *state.environment->log, describe_visit);
    return;
  }
  // Before the reader runs: whoever it answers then finds the router already told.
  offer_passivation_when_idle(self);
  call_user_callback(visitor,
                     result<instance_view>{instance_view{state.instance.get(), state.version}},
                     *state.environment->log, describe_visit);
}

// Runs what arrived while the store was answering, in arrival order, until a command awaits
// the store again or nothing is left.
void run_waiting(self_pointer self) {
  auto& state = self->state;
  while (!state.awaiting_store && !state.waiting.empty()) {
    auto next = std::move(state.waiting.front());
    state.waiting.pop_front();
    if (auto* job = std::get_if<command_message>(&next))
      handle_command(self, std::move(*job));
    else
      handle_visit(self, std::get<visit_message>(next));
  }
}

// Once idle, an actor asks the router to passivate it when its stream has no events, or when
// it refused a passivation earlier because it was busy (the router still wants it gone: it is
// over the cap or was idle). Once per idle spell.
void offer_passivation_when_idle(self_pointer self) {
  auto& state = self->state;
  if (state.asked_to_passivate || state.awaiting_store || !state.waiting.empty()) return;
  const bool empty = state.instance && state.version == 0;
  if (!empty && !state.refused_passivation) return;
  if (auto router = caf::actor_cast<caf::actor>(state.router)) {
    state.asked_to_passivate = true;
    state.refused_passivation = false;
    self->send(router, idle_aggregate_atom::value);
  }
}

}  // namespace

caf::behavior aggregate_actor(self_pointer self, std::shared_ptr<const aggregate_model> model,
                              std::string aggregate_id,
                              std::shared_ptr<const aggregate_environment> environment,
                              caf::actor_addr router) {
  auto& state = self->state;
  state.router = std::move(router);
  state.stream = stream_name(model->type_name, aggregate_id);
  state.model = std::move(model);
  state.aggregate_id = std::move(aggregate_id);
  state.environment = std::move(environment);
  return {
      [=](command_message& message) {
        if (self->state.awaiting_store) {
          self->state.waiting.emplace_back(std::move(message));
          return;
        }
        handle_command(self, std::move(message));
        offer_passivation_when_idle(self);
      },
      [=](visit_message& message) {
        if (self->state.awaiting_store) {
          self->state.waiting.emplace_back(std::move(message));
          return;
        }
        handle_visit(self, message);
        offer_passivation_when_idle(self);
      },
      [=](passivate_atom) {
        auto& current = self->state;
        current.asked_to_passivate = false;
        if (current.awaiting_store || !current.waiting.empty()) {
          current.refused_passivation = true;
          return false;
        }
        self->quit();
        return true;
      },
  };
}

}  // namespace esk::actors
