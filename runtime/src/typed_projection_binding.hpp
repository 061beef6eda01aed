// typed_projection_binding.hpp — a typed_projection bound to the event registry: a projection
// that decodes each event it has a handler for and calls that handler.
#pragma once

#include <memory>

#include "esk/projection.hpp"
#include "esk/registry.hpp"
#include "esk/typed_projection.hpp"

namespace esk {

// The projection that runs `handlers`, decoding with `events`. Throws std::logic_error naming
// the projection when a handler's event type is not registered in `events`.
std::shared_ptr<projection> bind_typed_projection(const typed_projection& handlers,
                                                  const event_registry& events);

}  // namespace esk
