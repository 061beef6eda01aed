#include "esk/cli/arguments.hpp"

#include <charconv>

namespace esk::cli {
namespace {

error bad_option(std::string message) {
  return error{error_kind::invalid_argument, std::move(message)};
}

}  // namespace

result<arguments> arguments::parse(const std::vector<std::string>& args, const option_spec& spec) {
  arguments parsed;
  bool options_ended = false;
  for (std::size_t index = 0; index < args.size(); ++index) {
    const std::string& arg = args[index];
    if (options_ended || arg.size() < 2 || arg.compare(0, 1, "-") != 0) {
      parsed.positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (arg.compare(0, 2, "--") != 0) return bad_option("unknown option '" + arg + "'");
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto equals = name.find('='); equals != std::string::npos) {
      inline_value = name.substr(equals + 1);
      name.resize(equals);
    }
    if (spec.flags.count(name)) {
      if (inline_value) return bad_option("option '--" + name + "' takes no value");
      parsed.flags_.insert(name);
    } else if (spec.with_value.count(name)) {
      if (!inline_value && index + 1 == args.size())
        return bad_option("option '--" + name + "' needs a value");
      parsed.values_[name] = inline_value ? *inline_value : args[++index];
    } else {
      return bad_option("unknown option '--" + name + "'");
    }
  }
  return parsed;
}

std::optional<std::string> arguments::value(std::string_view name) const {
  auto found = values_.find(name);
  if (found == values_.end()) return std::nullopt;
  return found->second;
}

bool arguments::flag(std::string_view name) const { return flags_.find(name) != flags_.end(); }

result<std::uint64_t> parse_count(std::string_view option, std::string_view text,
                                  std::uint64_t maximum) {
  std::uint64_t count = 0;
  const char* end = text.data() + text.size();
  auto [stopped, failure] = std::from_chars(text.data(), end, count);
  const std::string quoted = std::string(option) + ": '" + std::string(text) + "'";
  if (text.empty() || stopped != end ||
      (failure != std::errc() && failure != std::errc::result_out_of_range))
    return bad_option(quoted + " is not a non-negative integer");
  // from_chars consumed every character, so the text is all digits: only its size is wrong.
  if (failure == std::errc::result_out_of_range || count > maximum)
    return bad_option(quoted + " is too large (the maximum is " + std::to_string(maximum) + ")");
  return count;
}

std::vector<std::string> argument_list(int argc, const char* const* argv, int first) {
  std::vector<std::string> list;
  for (int index = first; index < argc; ++index) list.emplace_back(argv[index]);
  return list;
}

}  // namespace esk::cli
