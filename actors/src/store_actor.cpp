#include "store_actor.hpp"

#include <exception>
#include <utility>

#include "messages.hpp"

namespace esk::actors {
namespace {

using state_type = store_actor_state;

std::vector<result<std::vector<recorded_event>>> commit_batch(
    event_store& store, const std::vector<append_request>& batch) {
  try {
    return store.append_batch(batch);
  } catch (const std::exception& failure) {
    // A backend must return errors as values; if one throws anyway, fail the batch, not the actor.
    std::vector<result<std::vector<recorded_event>>> failed;
    for (std::size_t i = 0; i < batch.size(); ++i)
      failed.emplace_back(error{error_kind::store_unavailable,
                                std::string("store append failed: ") + failure.what()});
    return failed;
  }
}

void flush(caf::stateful_actor<state_type>* self) {
  auto& state = self->state;
  state.flush_scheduled = false;
  auto pending = std::move(state.queue);
  state.queue.clear();
  std::vector<append_request> batch;
  batch.reserve(pending.size());
  for (auto& item : pending) batch.push_back(std::move(item.request));

  auto outcomes = commit_batch(*state.store, batch);

  std::shared_ptr<std::vector<recorded_event>> committed;
  if (!state.projections.empty()) {
    committed = std::make_shared<std::vector<recorded_event>>();
    for (const auto& outcome : outcomes)
      if (outcome.ok()) committed->insert(committed->end(), outcome->begin(), outcome->end());
  }
  for (std::size_t i = 0; i < pending.size(); ++i)
    pending[i].promise.deliver(std::make_shared<command_result>(std::move(outcomes[i])));
  if (committed && !committed->empty()) {
    committed_events message = std::move(committed);
    for (const auto& projection : state.projections) self->send(projection, message);
  }
}

}  // namespace

caf::behavior store_actor(caf::stateful_actor<state_type>* self,
                          std::shared_ptr<event_store> store) {
  self->state.store = std::move(store);
  return {
      [=](append_message& request) {
        auto& state = self->state;
        state.queue.push_back({std::move(*request), self->make_response_promise()});
        // The flush goes behind every append already in the mailbox, so one commit takes
        // them all: that is the group commit.
        if (!state.flush_scheduled) {
          state.flush_scheduled = true;
          self->send(self, flush_atom::value);
        }
      },
      [=](flush_atom) { flush(self); },
      [=](subscribe_atom, caf::actor projection) {
        self->state.projections.push_back(std::move(projection));
      },
  };
}

}  // namespace esk::actors
