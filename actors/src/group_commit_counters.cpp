#include "group_commit_counters.hpp"

#include <algorithm>

namespace esk::actors {

void group_commit_counters::count_batch(std::size_t appends, std::size_t events) {
  const auto& bounds = group_commit_statistics::batch_size_bounds;
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(bounds.begin(), bounds.end(), static_cast<std::uint64_t>(appends)) -
      bounds.begin());
  batches_by_size_[bucket].fetch_add(1, std::memory_order_relaxed);
  appends_.fetch_add(appends, std::memory_order_relaxed);
  events_.fetch_add(events, std::memory_order_relaxed);
  transactions_.fetch_add(1, std::memory_order_relaxed);
}

group_commit_statistics group_commit_counters::read() const {
  group_commit_statistics now;
  now.transactions = transactions_.load(std::memory_order_relaxed);
  now.appends = appends_.load(std::memory_order_relaxed);
  now.events = events_.load(std::memory_order_relaxed);
  for (std::size_t i = 0; i < batches_by_size_.size(); ++i)
    now.batches_by_size[i] = batches_by_size_[i].load(std::memory_order_relaxed);
  return now;
}

}  // namespace esk::actors
