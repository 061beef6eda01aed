// The stream reader: the store reads of rehydration, off the actor scheduler's threads. A
// dispatcher actor hands each rehydration to one of a fixed number of reader actors, each on
// its own thread, which reads the stream into it page by page and applies the events there
// (rehydration.hpp), so a long read never stalls the aggregates that are already live, and at
// most that many rehydrations read the store at once (a restart under load does not stampede
// it); the others wait in the dispatcher's queue, first come first served.
// Internal to the actors layer.
#pragma once

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/behavior.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>
#include <cstddef>
#include <deque>
#include <memory>
#include <vector>

#include "esk/store/event_store.hpp"
#include "rehydration.hpp"

namespace esk::actors {

// Aggregate -> stream reader -> aggregate: the rehydration to run, then run (its outcome says
// how it went). The reader owns it in between.
using rehydration_message = std::shared_ptr<rehydration>;

struct stream_reader_state {
  struct pending_read {
    rehydration_message job;
    caf::response_promise promise;
  };
  std::deque<pending_read> queue;  // reads no reader has taken yet
  std::vector<caf::actor> idle;    // readers with nothing to do
  static inline const char* name = "esk.stream_reader";
};

// Accepts rehydration_message and answers it with the same message, run (read and apply errors
// are in its outcome, as values; so is a reader that failed). Spawns `readers` reader actors (at
// least one) on their own threads, linked to it: they stop with it.
caf::behavior stream_reader(caf::stateful_actor<stream_reader_state>* self,
                            std::shared_ptr<event_store> store, std::size_t readers);

}  // namespace esk::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::rehydration_message)
