// postgres_event_rows.hpp — recorded events from the PostgreSQL store's rows, and from the
// requests it accepted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "esk/store/recorded_event.hpp"
#include "postgres_connection.hpp"

namespace esk {

// esk_events' columns in the order events_from_rows reads them, for a SELECT list.
extern const char* const postgres_event_columns;

// `limit` as a LIMIT parameter: capped at the largest bigint (so SIZE_MAX reads everything).
std::string postgres_limit(std::size_t limit);

// The events of `rows`, whose columns are postgres_event_columns.
std::vector<recorded_event> events_from_rows(const postgres_rows& rows);

// The events of an accepted `request`, the first at `first_position`, the rest after it.
std::vector<recorded_event> recorded_events(const append_request& request,
                                            std::uint64_t first_position);

// The same, moving the request's events' strings into them instead of copying (the stream
// name is copied into each).
std::vector<recorded_event> recorded_events(append_request&& request,
                                            std::uint64_t first_position);

}  // namespace esk
