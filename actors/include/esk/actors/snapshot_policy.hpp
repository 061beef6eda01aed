// esk/actors/snapshot_policy.hpp — when an aggregate saves its state as a snapshot, and what
// the runtime counts about snapshots.
//
//   rt.aggregate<User>("User").snapshots(esk::snapshot_policy::every(1000).schema(2));
#pragma once

#include <cstdint>

namespace esk {

// An aggregate's snapshot policy. A snapshot is taken after a command's events are applied
// (never before the command is acknowledged) once the events applied since the last snapshot
// reach a count, or their JSON payloads a number of bytes. Rehydration then starts from the
// newest snapshot of schema_version() and applies only the later events.
class snapshot_policy {
 public:
  // No snapshots (the default): rehydration replays the whole stream.
  snapshot_policy() = default;

  // A snapshot every `events` events (0 = never).
  static snapshot_policy every(std::uint64_t events) { return {events, 0, 1}; }

  // A snapshot once the events since the last one total `payload_bytes` bytes of JSON (0 =
  // never): suits aggregates whose events vary much in size.
  static snapshot_policy every_bytes(std::uint64_t payload_bytes) { return {0, payload_bytes, 1}; }

  // The same policy for state layout `version` (default 1). Bump it whenever the state's JSON
  // layout changes: snapshots of another version are then ignored (and counted), never read
  // as this layout. REQUIRES: version >= 1.
  snapshot_policy schema(int version) const { return {events_, payload_bytes_, version}; }

  // Whether snapshots are taken (and read) at all.
  bool enabled() const { return events_ > 0 || payload_bytes_ > 0; }

  // Whether a snapshot is due after `events` events of `payload_bytes` bytes since the last.
  bool due(std::uint64_t events, std::uint64_t payload_bytes) const {
    return (events_ > 0 && events >= events_) ||
           (payload_bytes_ > 0 && payload_bytes >= payload_bytes_);
  }

  int schema_version() const { return schema_version_; }

 private:
  snapshot_policy(std::uint64_t events, std::uint64_t payload_bytes, int schema_version)
      : events_(events), payload_bytes_(payload_bytes), schema_version_(schema_version) {}

  std::uint64_t events_ = 0;
  std::uint64_t payload_bytes_ = 0;
  int schema_version_ = 1;
};

// What the runtime did with snapshots since it started (runtime::snapshot_stats()).
struct snapshot_statistics {
  std::uint64_t loaded = 0;                // rehydrations that started from a snapshot
  std::uint64_t ignored_other_schema = 0;  // snapshots of another schema version: full replay
  std::uint64_t ignored_unreadable = 0;    // snapshots that did not decode as the state
  std::uint64_t written = 0;               // snapshots the store saved
  std::uint64_t write_failures = 0;        // snapshots the store could not save (logged)
};

}  // namespace esk
