// esk/actors/aggregate_counts.hpp — how many aggregate actors are in memory.
#pragma once

#include <cstddef>
#include <cstdint>

namespace esk {

// A count of aggregate actors, taken by the router once no passivation is in progress.
struct aggregate_counts {
  std::size_t live = 0;          // aggregate actors alive now
  std::uint64_t passivated = 0;  // stopped by passivation since the runtime started
  std::uint64_t spawned = 0;     // started (and so rehydrated) since the runtime started
};

}  // namespace esk
