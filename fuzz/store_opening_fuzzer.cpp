// libFuzzer target: arbitrary bytes as a store file, opened and read (and appended to).
//   build-fuzz/fuzz/store_opening_fuzzer fuzz/corpus/store_opening -max_total_time=180
// The scratch file lives in $ESK_FUZZ_SCRATCH (default /dev/shm, memory-backed and fast).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = [] {
    const char* scratch = std::getenv("ESK_FUZZ_SCRATCH");
    return std::string(scratch ? scratch : "/dev/shm") + "/esk-fuzz-store-" +
           std::to_string(::getpid()) + ".db";
  }();
  esk::fuzz::open_store_bytes(path, {reinterpret_cast<const char*>(data), size});
  return 0;
}
