// esk/store/recorded_event.hpp — what the store keeps: events with their place and metadata.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace esk {

// Who caused an event and when. IDs are opaque strings (the runtime uses 32 hex digits).
struct event_metadata {
  std::string event_id;        // unique per event
  std::string command_id;      // the command that produced the event
  std::string correlation_id;  // the conversation the command belongs to
  std::string causation_id;    // the message that directly caused the event
  std::string recorded_at;     // UTC, ISO 8601 with milliseconds: 2026-11-25T17:07:34.123Z
};

// An event about to be appended: its type name, its JSON payload as text, its metadata.
struct new_event {
  std::string type;
  std::string payload;  // a JSON object, serialized
  event_metadata metadata;
};

// An event as committed: new_event plus where it stands.
struct recorded_event {
  std::string stream;      // "<AggregateType>-<id>"
  std::uint64_t version;   // 1-based, gap-free within the stream
  std::uint64_t position;  // global, strictly increasing over all committed events
  std::string type;
  std::string payload;
  event_metadata metadata;
};

// One conditional append: succeeds only if `stream` is at `expected_version` (0 = new).
struct append_request {
  std::string stream;
  std::uint64_t expected_version = 0;
  std::vector<new_event> events;
};

// Writes `event` as one line of JSON: {"stream":..,"version":..,"position":..,"type":..,
// "payload":{..},"metadata":{..}}. The payload is embedded as JSON, not as a string.
std::ostream& operator<<(std::ostream& out, const recorded_event& event);

// The stream name of an aggregate instance: "<aggregate_type>-<aggregate_id>".
std::string stream_name(const std::string& aggregate_type, const std::string& aggregate_id);

}  // namespace esk
