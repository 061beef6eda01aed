// The router: one actor per aggregate ID, spawned on first use; forwards each message to it,
// and passivates (stops) aggregate actors that are idle or least recently used beyond the cap
// (live_aggregates.hpp describes the handshake that keeps racing messages in order).
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "aggregate_actor.hpp"
#include "esk/actors/aggregate_model.hpp"
#include "live_aggregates.hpp"

namespace esk::actors {

// When the router stops aggregate actors.
struct passivation_policy {
  std::chrono::milliseconds idle_after{0};  // stop actors unused this long; 0 = never
  std::size_t max_live = 0;                 // stop the least recently used beyond this; 0 = no cap
};

struct router_state {
  std::shared_ptr<const aggregate_environment> environment;  // handed to every aggregate actor
  passivation_policy passivation;
  live_aggregates live;
  std::uint64_t spawned = 0;                  // aggregate actors started so far
  std::uint64_t passivated = 0;               // actors stopped by passivation so far
  std::vector<count_message> counts_waiting;  // answered once no passivation is in progress
  std::optional<caf::error> stopping;         // set when the engine stops us: the reason
  std::vector<caf::actor> to_stop;            // while stopping: not yet told to stop
  static inline const char* name = "esk.router";
};

// Accepts command_message and visit_message (forwarded to the aggregate's actor),
// idle_aggregate_atom (an idle aggregate actor without events, or one that refused a passivation
// while busy, asks to be passivated) and count_message. The aggregate actors it spawns are
// monitored; stopping the router stops them; one that stops on its own is forgotten (and respawned
// on its next message) without taking the router down.
caf::behavior router_actor(caf::stateful_actor<router_state>* self,
                           std::shared_ptr<const aggregate_environment> environment,
                           passivation_policy passivation);

}  // namespace esk::actors
