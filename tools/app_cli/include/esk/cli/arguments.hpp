// esk/cli/arguments.hpp — a command line split into positional arguments and --options.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "esk/result.hpp"

namespace esk::cli {

// Which options a command accepts.
struct option_spec {
  std::set<std::string> with_value;  // "--name VALUE" or "--name=VALUE" (names without "--")
  std::set<std::string> flags;       // "--name"
};

// Parsed command-line arguments. "--" ends the options; "-" alone is a positional argument.
class arguments {
 public:
  // Parses `args` (without the program name) against `spec`. Errors: invalid_argument naming
  // an unknown option, a flag given a value, or an option missing its value. Never throws.
  static result<arguments> parse(const std::vector<std::string>& args, const option_spec& spec);

  // The arguments that are not options, in order.
  const std::vector<std::string>& positional() const { return positional_; }

  // The value of option `name` (the last one if repeated), or nullopt if absent.
  std::optional<std::string> value(std::string_view name) const;

  // True if flag `name` was given.
  bool flag(std::string_view name) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::string, std::less<>> values_;
  std::set<std::string, std::less<>> flags_;
};

// Parses `text`, the value of option `option`, as a non-negative decimal integer no larger
// than `maximum`. Errors: invalid_argument "--limit: 'x' is not a non-negative integer", or
// "--limit: '99999999999999999999' is too large (the maximum is 18446744073709551615)".
result<std::uint64_t> parse_count(std::string_view option, std::string_view text,
                                  std::uint64_t maximum = UINT64_MAX);

// The arguments argv[first..argc) as strings. REQUIRES: argv has argc valid entries.
std::vector<std::string> argument_list(int argc, const char* const* argv, int first);

}  // namespace esk::cli
