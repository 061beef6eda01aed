#include "esk/projection_options.hpp"

namespace esk {

const char* to_string(projection_state state) noexcept {
  switch (state) {
    case projection_state::catching_up:
      return "catching_up";
    case projection_state::running:
      return "running";
    case projection_state::retrying:
      return "retrying";
    case projection_state::stopped:
      return "stopped";
  }
  return "unknown";
}

}  // namespace esk
