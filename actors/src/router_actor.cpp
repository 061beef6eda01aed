#include "router_actor.hpp"

#include <utility>

#include "aggregate_actor.hpp"
#include "messages.hpp"

namespace esk::actors {
namespace {

using self_pointer = caf::stateful_actor<router_state>*;

const caf::actor& aggregate_for(self_pointer self,
                                const std::shared_ptr<const aggregate_model>& model,
                                const std::string& aggregate_id) {
  auto& state = self->state;
  std::string key;
  key.reserve(model->type_name.size() + 1 + aggregate_id.size());
  key.append(model->type_name).push_back('\x1f');
  key.append(aggregate_id);
  auto found = state.aggregates.find(key);
  if (found != state.aggregates.end()) return found->second;
  auto spawned = self->spawn<caf::linked>(aggregate_actor, model, aggregate_id, state.store,
                                          state.store_actor, state.conflict_retries);
  return state.aggregates.emplace(std::move(key), std::move(spawned)).first->second;
}

}  // namespace

caf::behavior router_actor(self_pointer self, std::shared_ptr<event_store> store,
                           caf::actor store_actor, std::size_t conflict_retries) {
  self->state.store = std::move(store);
  self->state.store_actor = std::move(store_actor);
  self->state.conflict_retries = conflict_retries;
  return {
      [=](command_message& message) {
        const auto& target = aggregate_for(self, message->aggregate, message->aggregate_id);
        self->send(target, std::move(message));
      },
      [=](visit_message& message) {
        const auto& target = aggregate_for(self, message->aggregate, message->aggregate_id);
        self->send(target, std::move(message));
      },
  };
}

}  // namespace esk::actors
