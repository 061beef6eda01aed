// esk/store/memory_store.hpp — an event store in process memory, for tests and benchmarks.
#pragma once

#include <memory>

#include "esk/store/event_store.hpp"

namespace esk {

// Makes an empty in-memory store. It keeps the full event_store contract except
// durability: everything is gone when the last reference is dropped. Thread-safe.
std::shared_ptr<event_store> make_memory_store();

}  // namespace esk
