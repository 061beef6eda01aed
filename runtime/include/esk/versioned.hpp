// esk/versioned.hpp — an aggregate's state together with the stream version it reflects.
#pragma once

#include <cstdint>

namespace esk {

// The state of one aggregate instance as of version `version` of its stream. Version 0 means
// the aggregate has no events: `state` is then the empty (default) state, and exists() is
// false, so "no such aggregate" and "an aggregate whose state looks empty" stay apart.
template <class State>
struct versioned {
  State state;
  std::uint64_t version = 0;

  // True when the aggregate has at least one event.
  bool exists() const noexcept { return version > 0; }
};

}  // namespace esk
