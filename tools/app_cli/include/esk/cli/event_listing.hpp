// esk/cli/event_listing.hpp — reading the log page by page, filtered, for command lines:
// `app events` and `event-sourcing-kit events` / `stats`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "esk/cli/arguments.hpp"
#include "esk/result.hpp"
#include "esk/store/event_store.hpp"

namespace esk::cli {

// Which events to list. Empty strings match everything.
struct event_filter {
  std::string stream;                // only this stream ("User-42")
  std::string type;                  // only this event type ("UserCreated")
  std::uint64_t from_position = 1;   // only events at this global position or later
  std::uint64_t limit = UINT64_MAX;  // at most this many events
};

// The options event_filter_from reads: --stream S, --type T, --from POS, --limit N.
option_spec event_filter_options();

// The filter given by `args` (parsed with event_filter_options() or a superset).
// Errors: invalid_argument for a --from or --limit that is not a non-negative integer.
result<event_filter> event_filter_from(const arguments& args);

// Called after each page with the global position read up to; for progress displays.
using page_observer = std::function<void(std::uint64_t position_reached)>;

// Turns a stored event into the events a reader sees, e.g. event_registry::upcast (the current
// schema, esk/upcasting.hpp). Empty = events as stored.
using event_transform = std::function<result<std::vector<recorded_event>>(const recorded_event&)>;

// Calls `visit` for each event matching `filter`, in position order (version order within a
// stream), reading at most `page_size` events at a time so memory stays bounded however long
// the log is. With `transform`, the filter's type and limit apply to the events it yields.
// REQUIRES: page_size > 0. Returns how many events were visited.
// Errors: store_unavailable, and the transform's (e.g. unknown_event). Blocks while reading.
result<std::uint64_t> for_each_event(event_store& store, const event_filter& filter,
                                     const std::function<void(const recorded_event&)>& visit,
                                     const page_observer& on_page = {},
                                     std::size_t page_size = 1000,
                                     const event_transform& transform = {});

// Writes each event matching `filter` to `out` as one JSON line (see recorded_event's
// operator<<), page by page as for_each_event, after `transform` when given. Returns how many
// were written. Errors: as for_each_event. Blocks while reading.
result<std::uint64_t> write_events(event_store& store, const event_filter& filter,
                                   std::ostream& out, const page_observer& on_page = {},
                                   std::size_t page_size = 1000,
                                   const event_transform& transform = {});

}  // namespace esk::cli
