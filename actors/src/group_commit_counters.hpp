// The store actor's counts of its group commits, read from any thread
// (runtime::group_commit_stats).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "esk/actors/group_commit_statistics.hpp"

namespace esk::actors {

// Written by the store actor after each batch, read by anyone. Lock-free; a read taken while
// a batch is being counted may see some of its counts and not yet others.
class group_commit_counters {
 public:
  // Counts one transaction of `appends` appends that committed `events` events.
  void count_batch(std::size_t appends, std::size_t events);

  // The counts so far. Never blocks.
  group_commit_statistics read() const;

 private:
  std::atomic<std::uint64_t> transactions_{0};
  std::atomic<std::uint64_t> appends_{0};
  std::atomic<std::uint64_t> events_{0};
  std::array<std::atomic<std::uint64_t>, group_commit_statistics::batch_size_bounds.size() + 1>
      batches_by_size_{};
};

}  // namespace esk::actors
