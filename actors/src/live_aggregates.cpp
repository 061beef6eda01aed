#include "live_aggregates.hpp"

#include <utility>

namespace esk::actors {
namespace {

std::uint64_t key_hash_of(const aggregate_model* model, const std::string& aggregate_id) {
  // Several models may share an ID: the model's address takes part in the hash.
  return hash_text(aggregate_id) ^
         (static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(model)) *
          0x9e3779b97f4a7c15ULL);
}

}  // namespace

live_aggregate* live_aggregates::find(const aggregate_model* model,
                                      const std::string& aggregate_id) {
  return by_key_.find(key_hash_of(model, aggregate_id), [&](const live_aggregate& entry) {
    return entry.model.get() == model && entry.aggregate_id == aggregate_id;
  });
}

live_aggregate* live_aggregates::find_by_actor(caf::actor_id actor_id) {
  auto found = by_actor_.find(actor_id);
  return found == by_actor_.end() ? nullptr : &found->second;
}

live_aggregate& live_aggregates::add(std::shared_ptr<const aggregate_model> model,
                                     std::string aggregate_id, caf::actor actor,
                                     std::chrono::steady_clock::time_point now) {
  auto& entry = by_actor_[actor.id()];
  entry.key_hash = key_hash_of(model.get(), aggregate_id);
  entry.model = std::move(model);
  entry.aggregate_id = std::move(aggregate_id);
  entry.actor = std::move(actor);
  entry.last_used = now;
  by_key_.insert(entry.key_hash, &entry);
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
  by_key_.erase(entry.key_hash, &entry);
  by_actor_.erase(entry.actor.id());  // destroys `entry`
  return held;
}

live_aggregate* live_aggregates::least_recently_used() {
  return in_use_order_.empty() ? nullptr : in_use_order_.back();
}

}  // namespace esk::actors
