// libFuzzer target: arbitrary bytes as a JSON command and as stored event payloads.
//   build-fuzz/fuzz/command_decoding_fuzzer fuzz/corpus/command_decoding -max_total_time=180
#include <cstddef>
#include <cstdint>
#include <memory>

#include "../tests/reliability/ledger.hpp"
#include "fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One runtime for the whole run: only its registries are used, no command is sent. It is
  // never destroyed: libFuzzer ends with exit(), and an actor system torn down by exit
  // handlers crashed inside CAF (see docs/RELIABILITY.md), which is not what we fuzz here.
  static esk::runtime* const rt = [] {
    auto registered =
        std::make_unique<esk::runtime>(esk::make_memory_store(), esk::runtime_options{1});
    esk::reliability::register_account(*registered);
    return registered.release();
  }();
  esk::fuzz::decode_command_bytes(rt->commands(), rt->events(),
                                  {reinterpret_cast<const char*>(data), size});
  return 0;
}
