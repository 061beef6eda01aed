// The router: one actor per aggregate ID, spawned on first use; forwards each message to it.
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <memory>
#include <string>
#include <unordered_map>

#include "aggregate_actor.hpp"
#include "esk/actors/aggregate_model.hpp"
#include "esk/store/event_store.hpp"

namespace esk::actors {

struct router_state {
  std::shared_ptr<const aggregate_environment> environment;  // handed to every aggregate actor
  // Live aggregate actors by type, then ID (no key string built per message).
  std::unordered_map<const aggregate_model*, std::unordered_map<std::string, caf::actor>>
      aggregates;
  static inline const char* name = "esk.router";
};

// Accepts command_message, visit_message and refused_message (answered at once; what the
// callback throws is logged, never fatal to the router). The aggregate actors it spawns
// are linked to it, so stopping the router stops them; an aggregate actor that stops on its
// own is forgotten (and respawned on its next message) without taking the router down.
caf::behavior router_actor(caf::stateful_actor<router_state>* self,
                           std::shared_ptr<const aggregate_environment> environment);

}  // namespace esk::actors
