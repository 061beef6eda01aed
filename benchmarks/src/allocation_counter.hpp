// allocation_counter.hpp — how many times the process called operator new: esk-bench replaces
// the global operator new/delete with ones that count per thread (no shared cache line on the
// hot path) and forward to malloc/free, so a workload can report heap allocations per command.
#pragma once

#include <cstdint>

namespace esk::bench {

// Calls of any operator new (plain, array, nothrow, aligned) by every thread so far, including
// threads that have ended. Reads each thread's counter without stopping it: a running workload
// gives a near figure, a finished one an exact one.
std::uint64_t allocations_so_far() noexcept;

}  // namespace esk::bench
