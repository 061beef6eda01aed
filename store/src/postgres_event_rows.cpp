#include "postgres_event_rows.hpp"

#include <limits>

namespace esk {

const char* const postgres_event_columns =
    "position, stream, version, type, payload, event_id, command_id, correlation_id, "
    "causation_id, recorded_at";

std::string postgres_limit(std::size_t limit) {
  const auto largest = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  return std::to_string(limit > largest ? largest : limit);
}

std::vector<recorded_event> events_from_rows(const postgres_rows& rows) {
  std::vector<recorded_event> events;
  events.reserve(static_cast<std::size_t>(rows.count()));
  for (int row = 0; row < rows.count(); ++row) {
    events.push_back(recorded_event{rows.text(row, 1),
                                    rows.unsigned_number(row, 2),
                                    rows.unsigned_number(row, 0),
                                    rows.text(row, 3),
                                    rows.text(row, 4),
                                    {rows.text(row, 5), rows.text(row, 6), rows.text(row, 7),
                                     rows.text(row, 8), rows.text(row, 9)}});
  }
  return events;
}

std::vector<recorded_event> recorded_events(const append_request& request,
                                            std::uint64_t first_position) {
  std::vector<recorded_event> events;
  events.reserve(request.events.size());
  for (std::size_t i = 0; i < request.events.size(); ++i) {
    const auto& event = request.events[i];
    events.push_back(recorded_event{request.stream, request.expected_version + 1 + i,
                                    first_position + i, event.type, event.payload, event.metadata});
  }
  return events;
}

std::vector<recorded_event> recorded_events(append_request&& request,
                                            std::uint64_t first_position) {
  std::vector<recorded_event> events;
  events.reserve(request.events.size());
  for (std::size_t i = 0; i < request.events.size(); ++i) {
    auto& event = request.events[i];
    events.push_back(recorded_event{request.stream, request.expected_version + 1 + i,
                                    first_position + i, std::move(event.type),
                                    std::move(event.payload), std::move(event.metadata)});
  }
  return events;
}

}  // namespace esk
