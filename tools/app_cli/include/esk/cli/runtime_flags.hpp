// esk/cli/runtime_flags.hpp — the command-line flags that set runtime options:
// `--conflict-retries N` (runtime_options::conflict_retries) and `--timeout-ms N`
// (runtime_options::blocking_timeout).
#pragma once

#include <cstdint>

#include "esk/cli/arguments.hpp"
#include "esk/result.hpp"
#include "esk/runtime.hpp"

namespace esk::cli {

// The largest values the flags accept: more retries than this, or a longer wait than a day,
// is a typo rather than a policy.
inline constexpr std::uint64_t max_conflict_retries = 10000;
inline constexpr std::uint64_t max_timeout_ms = 24 * 60 * 60 * 1000;

// The options runtime_options_from reads: --conflict-retries N, --timeout-ms N.
option_spec runtime_option_flags();

// `defaults` (the app's runtime_options) with the values the flags in `args` give (parsed with
// runtime_option_flags() or a superset); flags absent leave the defaults. Errors:
// invalid_argument naming the flag for a value that is not a non-negative integer, is too
// large (the message gives the maximum), or is a --timeout-ms of 0. Never throws.
result<runtime_options> runtime_options_from(const arguments& args, runtime_options defaults);

}  // namespace esk::cli
