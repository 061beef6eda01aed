// The snapshot writer: saves aggregates' snapshots in the store, off the path of commands.
//
// An aggregate actor hands a snapshot over after the command that made it due was
// acknowledged; the writer, a detached actor (its own thread: a store write may block on the
// disk), writes it. Snapshots of one stream that queue up are coalesced: only the newest is
// written. A failed write is counted and logged; it never reaches a command.
#pragma once

#include <atomic>
#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <map>
#include <memory>
#include <string>

#include "esk/actors/snapshot_policy.hpp"
#include "esk/log_sink.hpp"
#include "esk/store/event_store.hpp"
#include "in_flight_counter.hpp"

namespace esk::actors {

// The engine's snapshot counts; updated from any actor thread.
struct snapshot_counters {
  std::atomic<std::uint64_t> loaded{0};
  std::atomic<std::uint64_t> ignored_other_schema{0};
  std::atomic<std::uint64_t> ignored_unreadable{0};
  std::atomic<std::uint64_t> written{0};
  std::atomic<std::uint64_t> write_failures{0};
  std::atomic<bool> reported_other_schema{false};  // logged once per engine, then only counted
  std::atomic<bool> reported_unreadable{false};

  snapshot_statistics read() const;
};

// One snapshot on its way to the store. Counts itself as pending on `pending` from creation
// until destroyed (written, replaced by a newer one, or dropped with a stopped actor), so the
// engine can wait for the writes it started before it stops.
class snapshot_job {
 public:
  explicit snapshot_job(std::shared_ptr<in_flight_counter> pending);
  ~snapshot_job();
  snapshot_job(const snapshot_job&) = delete;
  snapshot_job& operator=(const snapshot_job&) = delete;

  snapshot taken;

 private:
  std::shared_ptr<in_flight_counter> pending_;
};
using snapshot_message = std::shared_ptr<snapshot_job>;

struct snapshot_writer_state {
  std::shared_ptr<event_store> store;
  std::shared_ptr<snapshot_counters> counters;
  std::shared_ptr<const log_sink> log;
  std::map<std::string, snapshot_message> queued;  // per stream, the newest not yet written
  bool flush_scheduled = false;
  static inline const char* name = "esk.snapshot_writer";
};

// Accepts snapshot_message. Spawn it detached: writes block.
caf::behavior snapshot_writer(caf::stateful_actor<snapshot_writer_state>* self,
                              std::shared_ptr<event_store> store,
                              std::shared_ptr<snapshot_counters> counters,
                              std::shared_ptr<const log_sink> log);

}  // namespace esk::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::snapshot_message)
