// A projection actor: feeds one user projection every committed event exactly once, in
// position order. Live commits come from the store actor; anything missed (events committed
// before it subscribed, or by another process) is read from the store to fill the gap.
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <cstdint>
#include <memory>
#include <optional>

#include "esk/error.hpp"
#include "esk/projection.hpp"
#include "esk/store/event_store.hpp"

namespace esk::actors {

struct projection_actor_state {
  std::shared_ptr<projection> user_projection;
  std::shared_ptr<event_store> store;
  std::uint64_t next_position = 1;  // the first position not applied yet
  std::optional<error> failure;     // set once the projection threw; it stops there
  static inline const char* name = "esk.projection";
};

// Accepts committed_events, catch_up_atom (read the log up to its end), sync_message.
caf::behavior projection_actor(caf::stateful_actor<projection_actor_state>* self,
                               std::shared_ptr<projection> user_projection,
                               std::shared_ptr<event_store> store);

}  // namespace esk::actors
