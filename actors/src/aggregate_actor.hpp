// The aggregate actor: owns one aggregate instance (one stream), rehydrates it from the
// store on first use, and handles its commands one at a time in arrival order.
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "esk/actors/aggregate_model.hpp"
#include "esk/store/event_store.hpp"

namespace esk::actors {

struct aggregate_actor_state {
  std::shared_ptr<const aggregate_model> model;
  std::string aggregate_id;
  std::string stream;
  std::shared_ptr<event_store> store;            // read directly to rehydrate
  caf::actor store_actor;                        // all appends go through it (group commit)
  std::unique_ptr<aggregate_instance> instance;  // null until hydrated
  std::uint64_t version = 0;                     // of the last applied event
  std::size_t conflict_retries = 0;              // re-read and re-decide this often before failing
  static inline const char* name = "esk.aggregate";
};

// Accepts command_message and visit_message. On a conflict it drops its state; with
// conflict_retries > 0 it then rehydrates and decides the command again, at most that often.
caf::behavior aggregate_actor(caf::stateful_actor<aggregate_actor_state>* self,
                              std::shared_ptr<const aggregate_model> model,
                              std::string aggregate_id, std::shared_ptr<event_store> store,
                              caf::actor store_actor, std::size_t conflict_retries);

}  // namespace esk::actors
