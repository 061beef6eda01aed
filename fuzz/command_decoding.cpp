#include <stdexcept>

#include "command_envelope.hpp"
#include "fuzz_inputs.hpp"

namespace esk::fuzz {

void decode_command_bytes(const command_registry& commands, const event_registry& events,
                          std::string_view bytes) {
  if (auto envelope = parse_command_envelope(bytes)) {
    if (const auto* route = commands.find(envelope->type)) {
      auto decoded = route->decode(envelope->payload);
      // A command that decodes must be addressable (the runtime reads its target ID next).
      if (decoded) (void)route->target_id(decoded->get());
    }
  }
  for (const auto& name : events.names()) {
    auto decoded = events.decode(name, bytes);
    // An event that decodes must encode again: projections and tools print it back.
    if (decoded) {
      const auto* entry = events.find(name);
      if (entry->encode(decoded->get()).empty())
        throw std::logic_error("event " + name + " encoded to nothing");
    }
  }
}

}  // namespace esk::fuzz
