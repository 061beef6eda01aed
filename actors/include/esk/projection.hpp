// esk/projection.hpp — a read model kept up to date from the committed event log.
#pragma once

#include <string>

#include "esk/store/recorded_event.hpp"

namespace esk {

// User code that turns committed events into a read model.
//
// The runtime runs each projection in its own actor: apply is never called concurrently
// with itself, sees every committed event exactly once and in global position order,
// starting from the beginning of the log when the projection is added. Reading the model
// from other threads is the projection's own business (guard it with a mutex), and
// runtime::sync_projections() waits until every projection has caught up.
// If apply throws, the projection stops at that event and sync_projections reports it.
class projection {
 public:
  virtual ~projection() = default;

  // A short name for logs and errors ("users_by_email").
  virtual std::string name() const = 0;

  // Updates the read model with one committed event.
  virtual void apply(const recorded_event& event) = 0;
};

}  // namespace esk
