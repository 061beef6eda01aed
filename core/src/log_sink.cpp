#include "esk/log_sink.hpp"

#include <cstdio>

namespace esk {

void write_log(const log_sink& sink, std::string_view line) noexcept {
  if (sink) {
    try {
      sink(line);
      return;
    } catch (...) {
      // A sink that throws must not take the actor down; fall back to stderr below.
    }
  }
  std::fprintf(stderr, "esk: %.*s\n", static_cast<int>(line.size()), line.data());
}

}  // namespace esk
