// The router's directory of live aggregate actors: one per (aggregate type, ID), ordered by
// last use so the least recently used can be passivated first, and findable by actor ID when
// an actor's exit message arrives.
//
// Passivation is a handshake (router_actor.cpp): the router asks an idle-looking actor to
// stop; while it answers, messages for that ID are held here, not forwarded; the actor either
// refuses (it is busy: the held messages go to it) or stops (they go to a fresh incarnation).
// So a message that races a passivation is delivered exactly once, in order.
#pragma once

#include <caf/actor.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "esk/actors/aggregate_model.hpp"
#include "esk/hash_index.hpp"
#include "messages.hpp"

namespace esk::actors {

// A message for an aggregate actor that the router forwards.
using aggregate_message = std::variant<command_message, visit_message>;

struct live_aggregate {
  std::shared_ptr<const aggregate_model> model;
  std::string aggregate_id;
  caf::actor actor;
  std::chrono::steady_clock::time_point last_used;
  bool passivating = false;                           // asked to stop, answer pending
  std::vector<aggregate_message> held;                // arrived while passivating, in order
  std::list<live_aggregate*>::iterator in_use_order;  // valid while !passivating
  std::uint64_t key_hash = 0;                         // of (model, aggregate_id)
};

class live_aggregates {
 public:
  // The entry for (model, id), or null.
  live_aggregate* find(const aggregate_model* model, const std::string& aggregate_id);

  // The entry whose actor has ID `actor_id`, or null.
  live_aggregate* find_by_actor(caf::actor_id actor_id);

  // Adds an entry for `actor`, used now. REQUIRES: no entry for (model, id) exists.
  live_aggregate& add(std::shared_ptr<const aggregate_model> model, std::string aggregate_id,
                      caf::actor actor, std::chrono::steady_clock::time_point now);

  // Marks `entry` used now (most recently used).
  void touch(live_aggregate& entry, std::chrono::steady_clock::time_point now);

  // Marks `entry` as asked to stop: it leaves the use order until it answers.
  void begin_passivation(live_aggregate& entry);

  // The actor refused to stop: it is live again, used now. Returns what was held meanwhile.
  std::vector<aggregate_message> cancel_passivation(live_aggregate& entry,
                                                    std::chrono::steady_clock::time_point now);

  // Forgets `entry` (its actor stopped). Returns what was held for it.
  std::vector<aggregate_message> remove(live_aggregate& entry);

  // The least recently used entry that is not passivating, or null.
  live_aggregate* least_recently_used();

  // Live actors not being passivated.
  std::size_t active_count() const { return in_use_order_.size(); }

  // Every actor, including those being passivated.
  std::size_t size() const { return by_actor_.size(); }

  // Calls `visit(actor)` for every actor, including those being passivated.
  template <class Visit>
  void for_each_actor(Visit visit) const {
    for (const auto& [actor_id, entry] : by_actor_) visit(entry.actor);
  }

 private:
  // Owns the entries (node-based: an entry never moves while it lives).
  std::unordered_map<caf::actor_id, live_aggregate> by_actor_;
  // The entries by (model, aggregate ID): one flat array probed once per routed message.
  hash_index<live_aggregate> by_key_;
  std::list<live_aggregate*> in_use_order_;  // front: most recently used
};

}  // namespace esk::actors
