// process_memory.hpp — this process's resident memory, read from /proc (Linux).
#pragma once

#include <cstdint>

namespace esk::bench {

// The current resident set size in bytes (VmRSS); 0 if /proc cannot be read.
std::uint64_t resident_bytes();

// The peak resident set size in bytes since the process started or since the last
// reset_peak_resident_bytes() (VmHWM); 0 if /proc cannot be read.
std::uint64_t peak_resident_bytes();

// Starts a new peak measurement (writes 5 to /proc/self/clear_refs). Returns false when the
// kernel does not allow it; the peak then covers the whole process life.
bool reset_peak_resident_bytes();

}  // namespace esk::bench
