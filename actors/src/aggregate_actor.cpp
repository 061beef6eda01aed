#include "aggregate_actor.hpp"

#include <exception>
#include <utility>

#include "aggregate_snapshots.hpp"
#include "command_batch.hpp"
#include "esk/identifiers.hpp"
#include "esk/store/recorded_event.hpp"

namespace esk::actors {
namespace {

using self_pointer = caf::stateful_actor<aggregate_actor_state>*;

// Takes the instance `job` rebuilt (rehydration.hpp) and what it learnt of the stream.
void adopt(aggregate_actor_state& state, rehydration& job) {
  state.instance = std::move(job.instance);
  state.version = job.version;
  job.commands.fill(state.commands);
  // The events replayed count toward the next snapshot, which the next command then takes.
  state.events_since_snapshot = 0;
  state.bytes_since_snapshot = 0;
  count_applied(state, job.events_applied, job.payload_bytes_applied);
}

void run_waiting(self_pointer self);
void offer_passivation_when_idle(self_pointer self);

// Sends the batch's append; the store's answer settles it and runs what waits. While the store
// answers, the actor is awaiting_store and later work waits in its queue.
void append_batch(self_pointer self, std::shared_ptr<command_batch> batch) {
  auto& state = self->state;
  state.awaiting_store = true;
  // The request travels alone, not as a pointer into the batch: an append waiting in the
  // store actor's mailbox must not keep the batch's commands (and their answers) alive.
  auto append = std::make_shared<append_exchange>();
  append->request = std::move(batch->request);
  self->request(state.environment->store_actor, caf::infinite, std::move(append))
      .then(
          [=](append_reply& reply) {
            auto& current = self->state;
            current.awaiting_store = false;
            command_result& outcome = reply->outcome;
            if (outcome) {
              snapshot_message due = settle_committed(current, *batch, std::move(*outcome));
              if (due) hand_off_snapshot(self, current, std::move(due));
            } else {
              settle_failed(current, *batch, outcome.error_value());
            }
            run_waiting(self);
            offer_passivation_when_idle(self);
          },
          [=](caf::error& failure) {
            self->state.awaiting_store = false;
            settle_failed(self->state, *batch,
                          error{error_kind::store_unavailable,
                                "store actor did not answer: " + to_string(failure)});
            run_waiting(self);
          });
}

// Answers the first waiting command or state reader with `cause`: it could not be hydrated.
void fail_first_waiting(self_pointer self, const error& cause) {
  auto& state = self->state;
  if (auto* queued = std::get_if<queued_command>(&state.waiting.front())) {
    command_message job = std::move(queued->job);
    state.waiting.pop_front();
    job->complete(with_context(state, job->command.type, cause));
    return;
  }
  visit_message visit = std::move(std::get<visit_message>(state.waiting.front()));
  state.waiting.pop_front();
  call_user_callback(visit->visitor, result<instance_view>{cause}, *state.environment->log,
                     [&state] { return "a state reader of " + describe(state); });
}

// Hands a rehydration (rehydration.hpp) to the stream reader, which reads the stream (from its
// snapshot, when the policy reads one) into a fresh instance; while it runs, the actor is
// hydrating and what arrives waits in its queue. On error the actor stays unhydrated, the
// first waiting command or reader is told why, and the next one tries again.
void start_hydration(self_pointer self) {
  auto& state = self->state;
  auto job = std::make_shared<rehydration>();
  job->model = state.model;
  job->stream = state.stream;
  job->description = describe(state);
  job->with_snapshot = state.model->snapshots.enabled();
  job->remembered_commands = state.environment->remembered_commands;
  job->log = state.environment->log;
  job->snapshot_counts = state.environment->snapshot_counts;
  state.hydrating = true;
  self->request(state.environment->stream_reader, caf::infinite,
                rehydration_message{std::move(job)})
      .then(
          [=](rehydration_message& done) {
            auto& current = self->state;
            current.hydrating = false;
            if (done->outcome)
              adopt(current, *done);
            else
              fail_first_waiting(self, done->outcome.error_value());
            run_waiting(self);
            offer_passivation_when_idle(self);
          },
          [=](caf::error& failure) {
            self->state.hydrating = false;
            fail_first_waiting(self, error{error_kind::store_unavailable,
                                           "stream reader did not answer: " + to_string(failure)});
            run_waiting(self);
          });
}

// Calls the reader with the hydrated instance.
void handle_visit(self_pointer self, const visit_message& message) {
  auto& state = self->state;
  const auto& visitor = message->visitor;
  auto describe_visit = [&state] { return "a state reader of " + describe(state); };
  // Before the reader runs: whoever it answers then finds the router already told.
  offer_passivation_when_idle(self);
  call_user_callback(visitor,
                     result<instance_view>{instance_view{state.instance.get(), state.version}},
                     *state.environment->log, describe_visit);
}

// Runs what waits, in arrival order: state readers one by one, commands in a row as one
// append (command_batch.hpp), until the actor waits for the store (an append or a
// rehydration) or nothing is left.
void run_waiting(self_pointer self) {
  auto& state = self->state;
  while (!state.busy() && !state.waiting.empty()) {
    if (!state.instance) {
      start_hydration(self);
      return;
    }
    if (auto* visit = std::get_if<visit_message>(&state.waiting.front())) {
      visit_message next = std::move(*visit);
      state.waiting.pop_front();
      handle_visit(self, next);
      continue;
    }
    if (auto batch = decide_batch(state)) append_batch(self, std::move(batch));
  }
}

// Once idle, an actor asks the router to passivate it when its stream has no events, or when
// it refused a passivation earlier because it was busy (the router still wants it gone: it is
// over the cap or was idle). Once per idle spell.
void offer_passivation_when_idle(self_pointer self) {
  auto& state = self->state;
  if (state.asked_to_passivate || state.busy() || !state.waiting.empty()) return;
  const bool empty = state.instance && state.version == 0;
  if (!empty && !state.refused_passivation) return;
  if (auto router = caf::actor_cast<caf::actor>(state.router)) {
    state.asked_to_passivate = true;
    state.refused_passivation = false;
    self->send(router, idle_aggregate_atom::value);
  }
}

}  // namespace

std::string describe(const aggregate_actor_state& state) {
  return state.model->type_name + " " + state.aggregate_id;
}

error with_context(const aggregate_actor_state& state, const std::string& command_type,
                   const error& cause) {
  error described = cause;  // keeps what else it carries: stream version, rejection code
  described.message = describe(state) + ": " + command_type + ": " + cause.message;
  return described;
}

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
  state.commands = command_memory{state.environment->remembered_commands};
  return {
      [=](command_message& message) {
        auto& current = self->state;
        current.waiting.emplace_back(
            queued_command{std::move(message), current.environment->conflict_retries});
        if (current.busy()) return;
        run_waiting(self);
        offer_passivation_when_idle(self);
      },
      [=](visit_message& message) {
        self->state.waiting.emplace_back(std::move(message));
        if (self->state.busy()) return;
        run_waiting(self);
        offer_passivation_when_idle(self);
      },
      [=](passivate_atom) {
        auto& current = self->state;
        current.asked_to_passivate = false;
        if (current.busy() || !current.waiting.empty()) {
          current.refused_passivation = true;
          return false;
        }
        self->quit();
        return true;
      },
  };
}

}  // namespace esk::actors
