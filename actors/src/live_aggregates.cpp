#include "live_aggregates.hpp"

#include <utility>

namespace esk::actors {

live_aggregate* live_aggregates::find(const aggregate_model* model,
                                      const std::string& aggregate_id) {
  auto of_type = by_type_.find(model);
  if (of_type == by_type_.end()) return nullptr;
  auto found = of_type->second.find(aggregate_id);
  return found == of_type->second.end() ? nullptr : &found->second;
}

live_aggregate* live_aggregates::find_by_actor(caf::actor_id actor_id) {
  auto found = by_actor_.find(actor_id);
  return found == by_actor_.end() ? nullptr : found->second;
}

live_aggregate& live_aggregates::add(std::shared_ptr<const aggregate_model> model,
                                     std::string aggregate_id, caf::actor actor,
                                     std::chrono::steady_clock::time_point now) {
  auto& of_type = by_type_[model.get()];
  auto key = aggregate_id;
  auto& entry = of_type[std::move(key)];
  entry.model = std::move(model);
  entry.aggregate_id = std::move(aggregate_id);
  entry.actor = std::move(actor);
  entry.last_used = now;
  by_actor_[entry.actor.id()] = &entry;
  in_use_order_.push_front(&entry);
  entry.in_use_order = in_use_order_.begin();
  return entry;
}

void live_aggregates::touch(live_aggregate& entry, std::chrono::steady_clock::time_point now) {
  entry.last_used = now;
  if (entry.passivating) return;
  in_use_order_.splice(in_use_order_.begin(), in_use_order_, entry.in_use_order);
}

void live_aggregates::begin_passivation(live_aggregate& entry) {
  if (entry.passivating) return;
  entry.passivating = true;
  in_use_order_.erase(entry.in_use_order);
}

std::vector<aggregate_message> live_aggregates::cancel_passivation(
    live_aggregate& entry, std::chrono::steady_clock::time_point now) {
  if (entry.passivating) {
    entry.passivating = false;
    in_use_order_.push_front(&entry);
    entry.in_use_order = in_use_order_.begin();
  }
  entry.last_used = now;
  return std::exchange(entry.held, {});
}

std::vector<aggregate_message> live_aggregates::remove(live_aggregate& entry) {
  auto held = std::exchange(entry.held, {});
  if (!entry.passivating) in_use_order_.erase(entry.in_use_order);
  by_actor_.erase(entry.actor.id());
  const auto* model = entry.model.get();
  const std::string aggregate_id = entry.aggregate_id;  // the key must outlive the erase
  auto of_type = by_type_.find(model);
  of_type->second.erase(aggregate_id);  // destroys `entry`
  if (of_type->second.empty()) by_type_.erase(model);
  return held;
}

live_aggregate* live_aggregates::least_recently_used() {
  return in_use_order_.empty() ? nullptr : in_use_order_.back();
}

}  // namespace esk::actors
