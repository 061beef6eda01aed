#include "aggregate_actor.hpp"

#include <cstdio>
#include <exception>
#include <utility>

#include "esk/identifiers.hpp"
#include "esk/store/recorded_event.hpp"
#include "messages.hpp"

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

// Rebuilds the instance from its stream. On failure the actor stays unhydrated and the
// next message tries again.
status hydrate(aggregate_actor_state& state) {
  if (state.instance) return {};
  auto events = state.store->read_stream(state.stream, 1);
  if (!events) return events.error_value();
  auto instance = state.model->make_instance();
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
  state.version = events->empty() ? 0 : events->back().version;
  state.instance = std::move(instance);
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
    std::fprintf(stderr, "esk: %s: event handler threw after commit (state reloaded): %s\n",
                 describe(state).c_str(), describe_current_exception().c_str());
  }
}

// Decides `job` on the hydrated instance and appends what it decided; on a conflict with
// `retries_left` > 0 it rehydrates from the store and decides again (the conflict_retries policy).
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
  // await: no other message for this aggregate runs until the store has answered, which keeps
  // commands in arrival order and the expected version exact.
  self->request(state.store_actor, caf::infinite, make_append(state, command, *decided))
      .await(
          [=](append_reply& reply) {
            auto& current = self->state;
            command_result outcome = std::move(*reply);
            if (outcome) {
              apply_recorded(current, *decided, outcome);
            } else {
              // After a conflict our state is stale (another writer moved the stream on).
              if (outcome.kind() == error_kind::conflict) {
                current.instance.reset();
                if (retries_left > 0) {
                  if (auto hydrated = hydrate(current); !hydrated) {
                    job->complete(with_context(current, job->command.type, hydrated.error_value()));
                    return;
                  }
                  decide_and_append(self, job, retries_left - 1);
                  return;
                }
              }
              outcome = with_context(current, job->command.type, outcome.error_value());
            }
            job->complete(std::move(outcome));
          },
          [=](caf::error& failure) {
            job->complete(error{error_kind::store_unavailable,
                                describe(self->state) + ": " + job->command.type +
                                    ": store actor did not answer: " + to_string(failure)});
          });
}

void handle_command(self_pointer self, command_message& message) {
  auto& state = self->state;
  auto job = std::move(message);
  if (auto hydrated = hydrate(state); !hydrated) {
    job->complete(with_context(state, job->command.type, hydrated.error_value()));
    return;
  }
  decide_and_append(self, std::move(job), state.conflict_retries);
}

}  // namespace

caf::behavior aggregate_actor(self_pointer self, std::shared_ptr<const aggregate_model> model,
                              std::string aggregate_id, std::shared_ptr<event_store> store,
                              caf::actor store_actor, std::size_t conflict_retries) {
  auto& state = self->state;
  state.conflict_retries = conflict_retries;
  state.stream = stream_name(model->type_name, aggregate_id);
  state.model = std::move(model);
  state.aggregate_id = std::move(aggregate_id);
  state.store = std::move(store);
  state.store_actor = std::move(store_actor);
  return {
      [=](command_message& message) { handle_command(self, message); },
      [=](visit_message& message) {
        auto& current = self->state;
        if (auto hydrated = hydrate(current); !hydrated) {
          message->visitor(hydrated.error_value());
          return;
        }
        message->visitor(static_cast<const aggregate_instance*>(current.instance.get()));
      },
  };
}

}  // namespace esk::actors
