// The stream reader: the store reads of rehydration, off the actor scheduler's threads. A
// dispatcher actor hands each read to one of a fixed number of reader actors, each on its own
// thread, so a long read never stalls the aggregates that are already live, and at most that
// many rehydrations read the store at once (a restart under load does not stampede it); the
// other reads wait in the dispatcher's queue, first come first served.
// Internal to the actors layer.
#pragma once

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/behavior.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "esk/result.hpp"
#include "esk/store/event_store.hpp"
#include "esk/store/snapshot.hpp"

namespace esk::actors {

// Aggregate -> stream reader: read this stream to rehydrate its aggregate.
struct stream_read_request {
  std::string stream;
  // Also read the stream's snapshot, and when it has this schema version, only the events
  // after it. nullopt: every event, no snapshot.
  std::optional<int> snapshot_schema;
};

// What the reader found. The events start at events_from: after the snapshot when one of the
// requested schema was read, else at version 1. They hold what rehydration needs
// (event_store::read_stream_to_rehydrate): of their metadata, only the command ID is sure to be
// there.
struct stream_read {
  std::optional<snapshot> found_snapshot;  // as stored (any schema), when asked for and present
  std::string snapshot_failure;            // why reading the snapshot failed; empty if it did not
  std::uint64_t events_from = 1;
  result<std::vector<recorded_event>> events = std::vector<recorded_event>{};
};

using stream_read_message = std::shared_ptr<const stream_read_request>;
using stream_read_reply = std::shared_ptr<stream_read>;

struct stream_reader_state {
  struct pending_read {
    stream_read_message request;
    caf::response_promise promise;
  };
  std::deque<pending_read> queue;  // reads no reader has taken yet
  std::vector<caf::actor> idle;    // readers with nothing to do
  static inline const char* name = "esk.stream_reader";
};

// Accepts stream_read_message and answers it with a stream_read_reply (read errors are in the
// reply, as values). Spawns `readers` reader actors (at least one) on their own threads,
// linked to it: they stop with it.
caf::behavior stream_reader(caf::stateful_actor<stream_reader_state>* self,
                            std::shared_ptr<event_store> store, std::size_t readers);

}  // namespace esk::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::stream_read_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::stream_read_reply)
