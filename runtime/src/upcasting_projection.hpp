// upcasting_projection.hpp — a user's projection (esk::projection) seeing the log in the
// current schema: each stored event is upcast (esk/upcasting.hpp) before it reaches it.
#pragma once

#include <memory>

#include "esk/projection.hpp"
#include "esk/registry.hpp"

namespace esk {

// `inner`, fed each event as event_registry::upcast turns it into current ones (each part of
// a split with a context of its own). An event this build cannot read (unknown_event: an
// unknown type, or a version newer than registered) reaches `inner` as stored, its type name
// keeping the version mark, so a projection that looks for the current name never mistakes
// it; an upcaster that fails makes apply throw, so the projection's failure policy applies.
// REQUIRES: `events` outlives the result.
std::shared_ptr<projection> upcasting_projection(std::shared_ptr<projection> inner,
                                                 const event_registry& events);

}  // namespace esk
