// esk/actors/group_commit_statistics.hpp — how large the group commits were.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace esk {

// How the store actor grouped appends (one per command that recorded events, or tried to)
// into store transactions since the runtime started (runtime::group_commit_stats()).
struct group_commit_statistics {
  // Upper bounds of the batch-size buckets: a batch of n appends falls in the first bucket
  // whose bound is >= n; the last bucket (batches_by_size.back()) holds larger batches.
  static constexpr std::array<std::uint64_t, 10> batch_size_bounds{1,  2,  4,   8,   16,
                                                                   32, 64, 128, 256, 512};

  std::uint64_t transactions = 0;  // batches handed to the store, each one transaction
  std::uint64_t appends = 0;       // appends in them (the sum of the batch sizes)
  std::uint64_t events = 0;        // events the transactions committed
  // Batches per bucket of batch_size_bounds (not cumulative), then those beyond the last bound.
  std::array<std::uint64_t, batch_size_bounds.size() + 1> batches_by_size{};
};

}  // namespace esk
