#include "router_actor.hpp"

#include <caf/exit_reason.hpp>
#include <caf/system_messages.hpp>
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
  auto& of_type = state.aggregates[model.get()];
  auto found = of_type.find(aggregate_id);
  if (found != of_type.end()) return found->second;
  auto spawned = self->spawn<caf::linked>(aggregate_actor, model, aggregate_id, state.environment);
  return of_type.emplace(aggregate_id, std::move(spawned)).first->second;
}

// Forgets the aggregate actor at `address`. Returns false if it is not one of ours.
bool forget_aggregate(router_state& state, const caf::actor_addr& address) {
  for (auto& [model, of_type] : state.aggregates)
    for (auto entry = of_type.begin(); entry != of_type.end(); ++entry)
      if (entry->second.address() == address) {
        of_type.erase(entry);
        return true;
      }
  return false;
}

}  // namespace

caf::behavior router_actor(self_pointer self,
                           std::shared_ptr<const aggregate_environment> environment) {
  self->state.environment = std::move(environment);
  self->set_exit_handler([=](caf::exit_msg& exit) {
    if (forget_aggregate(self->state, exit.source)) {
      if (exit.reason != caf::exit_reason::normal) {
        const auto& log = self->state.environment->log;
        write_log(log ? *log : log_sink{},
                  "an aggregate actor stopped: " + caf::to_string(exit.reason));
      }
      return;
    }
    self->quit(exit.reason);  // the engine is stopping us
  });
  return {
      [=](command_message& message) {
        const auto& target = aggregate_for(self, message->aggregate, message->aggregate_id);
        self->send(target, std::move(message));
      },
      [=](refused_message& message) { message->on_done(std::move(message->cause)); },
      [=](visit_message& message) {
        const auto& target = aggregate_for(self, message->aggregate, message->aggregate_id);
        self->send(target, std::move(message));
      },
  };
}

}  // namespace esk::actors
