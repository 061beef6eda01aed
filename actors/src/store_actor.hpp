// The store actor: the only writer to the event store within an engine. It group-commits:
// every append waiting in its mailbox goes into one store transaction (one fsync), then each
// caller gets its own reply, and the committed events go to the projection actors.
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>
#include <memory>
#include <vector>

#include "esk/store/event_store.hpp"

namespace esk::actors {

struct store_actor_state {
  struct pending_append {
    append_request request;
    caf::response_promise promise;
  };
  std::shared_ptr<event_store> store;
  std::vector<pending_append> queue;  // appends received since the last commit
  bool flush_scheduled = false;       // a flush message is already in the mailbox
  std::vector<caf::actor> projections;
  static inline const char* name = "esk.store";
};

// Accepts: append_message (replies append_reply after the commit),
// (subscribe_atom, actor) (forward every later commit to that projection actor).
caf::behavior store_actor(caf::stateful_actor<store_actor_state>* self,
                          std::shared_ptr<event_store> store);

}  // namespace esk::actors
