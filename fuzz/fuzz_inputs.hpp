// fuzz_inputs.hpp — what the fuzz targets feed arbitrary bytes to. Shared by the libFuzzer
// targets (fuzz/*_fuzzer.cpp) and by the regression test that replays every saved input
// (tests/reliability/fuzz_regression_test.cpp). Each function must return normally for any
// input: a crash, a sanitizer report, an exception or a hang is a finding.
#pragma once

#include <string>
#include <string_view>

#include "esk/registry.hpp"

namespace esk::fuzz {

// Decodes `bytes` the way runtime::send_json does (envelope, command lookup, payload decoding
// into the registered type) and as the stored payload of every registered event type.
// REQUIRES: the registries are complete (registration finished).
void decode_command_bytes(const command_registry& commands, const event_registry& events,
                          std::string_view bytes);

// Writes `bytes` to the file at `path` (removing any -wal/-shm beside it), opens it as a
// store read-only and read-write, and exercises every read plus one append on what opened.
void open_store_bytes(const std::string& path, std::string_view bytes);

}  // namespace esk::fuzz
