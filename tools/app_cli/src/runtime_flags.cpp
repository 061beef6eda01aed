#include "esk/cli/runtime_flags.hpp"

#include <chrono>

namespace esk::cli {

option_spec runtime_option_flags() { return {{"conflict-retries", "timeout-ms"}, {}}; }

result<runtime_options> runtime_options_from(const arguments& args, runtime_options defaults) {
  runtime_options options = std::move(defaults);
  if (auto text = args.value("conflict-retries")) {
    auto retries = parse_count("--conflict-retries", *text, max_conflict_retries);
    if (!retries) return retries.error_value();
    options.conflict_retries = static_cast<std::size_t>(*retries);
  }
  if (auto text = args.value("timeout-ms")) {
    auto milliseconds = parse_count("--timeout-ms", *text, max_timeout_ms);
    if (!milliseconds) return milliseconds.error_value();
    if (*milliseconds == 0)
      return error{error_kind::invalid_argument, "--timeout-ms: must be at least 1"};
    options.blocking_timeout = std::chrono::milliseconds(*milliseconds);
  }
  return options;
}

}  // namespace esk::cli
