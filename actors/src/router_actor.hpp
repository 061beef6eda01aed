// The router: one actor per aggregate ID, spawned on first use; forwards each message to it.
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <memory>
#include <string>
#include <unordered_map>

#include "esk/actors/aggregate_model.hpp"
#include "esk/store/event_store.hpp"

namespace esk::actors {

struct router_state {
  std::shared_ptr<event_store> store;
  caf::actor store_actor;
  std::size_t conflict_retries = 0;  // handed to every aggregate actor
  // Live aggregate actors by type, then ID (no key string built per message).
  std::unordered_map<const aggregate_model*, std::unordered_map<std::string, caf::actor>>
      aggregates;
  static inline const char* name = "esk.router";
};

// Accepts command_message, visit_message and refused_message. The aggregate actors it spawns
// are linked to it, so stopping the router stops them; an aggregate actor that stops on its
// own is forgotten (and respawned on its next message) without taking the router down.
caf::behavior router_actor(caf::stateful_actor<router_state>* self,
                           std::shared_ptr<event_store> store, caf::actor store_actor,
                           std::size_t conflict_retries);

}  // namespace esk::actors
