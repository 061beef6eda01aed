#include "process_memory.hpp"

#include <malloc.h>

#include <fstream>
#include <string>

namespace esk::bench {
namespace {

// Reads a "Name:   1234 kB" line of /proc/self/status.
std::uint64_t status_kilobytes(const std::string& name) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.compare(0, name.size(), name) == 0 && line.size() > name.size() &&
        line[name.size()] == ':')
      return std::stoull(line.substr(name.size() + 1)) * 1024;
  }
  return 0;
}

}  // namespace

std::uint64_t resident_bytes() { return status_kilobytes("VmRSS"); }

std::uint64_t peak_resident_bytes() { return status_kilobytes("VmHWM"); }

bool reset_peak_resident_bytes() {
  ::malloc_trim(0);  // hand freed heap back first, so the new peak starts from what is live
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";
  clear_refs.flush();
  return static_cast<bool>(clear_refs);
}

}  // namespace esk::bench
