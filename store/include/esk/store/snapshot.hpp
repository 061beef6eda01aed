// esk/store/snapshot.hpp — an aggregate's state saved at a stream version, so rehydration can
// start there instead of at the stream's first event.
#pragma once

#include <cstdint>
#include <string>

namespace esk {

// The state of the aggregate behind `stream` as it was after the event at `version`,
// serialized as JSON in the layout that `schema_version` names (the user bumps it when the
// state's layout changes, so a snapshot of another layout is never read as this one).
struct snapshot {
  std::string stream;         // "<AggregateType>-<id>"
  std::uint64_t version = 0;  // the stream version the state reflects (>= 1)
  int schema_version = 0;     // the state layout, as the application numbers it
  std::string state;          // a JSON object, serialized
  std::string taken_at;       // UTC, ISO 8601 with milliseconds, like recorded_at
};

}  // namespace esk
