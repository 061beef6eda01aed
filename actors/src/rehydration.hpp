// A rehydration: rebuilding an aggregate instance from its stream (and its snapshot, when the
// aggregate's policy reads one) on a stream reader's thread (stream_reader.hpp). The aggregate
// actor makes one, hands it over with its read request and takes it back with the answer; in
// between, the read owns it exclusively (the actor queues everything else meanwhile).
//
// The stream is read a page at a time into one reused page, and each page is applied before
// the next is read: no allocation per event in the steady state, and at most a page of the
// stream in memory, however long it is. Internal to the actors layer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "esk/actors/aggregate_model.hpp"
#include "esk/log_sink.hpp"
#include "esk/result.hpp"
#include "esk/store/event_store.hpp"
#include "recent_commands.hpp"
#include "snapshot_writer.hpp"

namespace esk::actors {

// The most events a rehydration reads (and holds) at a time.
constexpr std::size_t rehydration_page_events = 256;

struct rehydration {
  // What to rebuild, set by the aggregate actor.
  std::shared_ptr<const aggregate_model> model;
  std::string stream;
  std::string description;     // "User 42": how errors and logs name the instance
  bool with_snapshot = false;  // start from the stream's snapshot when the policy reads one
  std::size_t remembered_commands = 0;                 // how many of the last commands to keep
  std::shared_ptr<const log_sink> log;                 // never null
  std::shared_ptr<snapshot_counters> snapshot_counts;  // never null

  // What it rebuilt, valid when outcome is ok.
  status outcome;
  std::unique_ptr<aggregate_instance> instance;
  std::uint64_t version = 0;         // of the last event applied (or the snapshot's)
  std::uint64_t events_applied = 0;  // the events after the snapshot
  std::uint64_t payload_bytes_applied = 0;
  recent_commands commands{0};  // the stream's last remembered_commands commands
};

// Makes a fresh instance and rebuilds it from `store`: loads the snapshot, when asked for and
// it has the policy's schema version (one of another schema version is counted and ignored,
// one that does not decode is counted and the whole stream replayed), then applies the events
// after it, page by page. A failed snapshot read is logged and every event replayed. Blocks.
// Never throws. On failure sets job.outcome: the store's error kind for a failed read (its
// message naming the stream and the version the page started at), unknown_event or
// bad_payload for an event that does not apply, handler_failed for a handler that threw (both
// naming the aggregate and the version).
void rehydrate(event_store& store, rehydration& job);

}  // namespace esk::actors
