#include "stream_reader.hpp"

#include <algorithm>
#include <caf/event_based_actor.hpp>
#include <utility>
#include <vector>

#include "esk/error.hpp"

namespace esk::actors {

// Dispatcher <-> reader: several reads handed out at once (fewer thread wake-ups under load),
// and their answers, in the same order.
using stream_read_batch = std::shared_ptr<const std::vector<stream_read_message>>;
using stream_read_batch_reply = std::shared_ptr<std::vector<stream_read_reply>>;

}  // namespace esk::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::stream_read_batch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::stream_read_batch_reply)

namespace esk::actors {
namespace {

// The most reads one reader takes at a time.
constexpr std::size_t max_reads_per_hand_out = 16;

using self_pointer = caf::stateful_actor<stream_reader_state>*;

// Reads the snapshot (when asked for) and the events a rehydration needs. Never throws: a
// backend that throws anyway fails the read, not the reader.
stream_read_reply read(event_store& store, const stream_read_request& request) {
  auto reply = std::make_shared<stream_read>();
  try {
    if (request.snapshot_schema) {
      auto found = store.read_snapshot(request.stream);
      if (!found)
        reply->snapshot_failure = found.error_value().message;
      else if (*found)
        reply->found_snapshot = std::move(**found);
      if (reply->found_snapshot &&
          reply->found_snapshot->schema_version == *request.snapshot_schema)
        reply->events_from = reply->found_snapshot->version + 1;
    }
    reply->events = store.read_stream_to_rehydrate(request.stream, reply->events_from);
  } catch (...) {
    reply->events =
        error{error_kind::store_unavailable,
              "reading stream '" + request.stream + "' failed: " + describe_current_exception()};
  }
  return reply;
}

// One reader: runs the blocking store reads it is handed, one after the other, on its own
// thread.
caf::behavior stream_read_worker(caf::event_based_actor*, std::shared_ptr<event_store> store) {
  return {[store](stream_read_batch& requests) {
    auto replies = std::make_shared<std::vector<stream_read_reply>>();
    replies->reserve(requests->size());
    for (const auto& request : *requests) replies->push_back(read(*store, *request));
    return replies;
  }};
}

stream_read_reply failed_read(const std::string& why) {
  auto reply = std::make_shared<stream_read>();
  reply->events = error{error_kind::store_unavailable, why};
  return reply;
}

// Hands queued reads to idle readers, oldest first, sharing them out among the idle readers
// (at most max_reads_per_hand_out each).
void hand_out(self_pointer self) {
  auto& state = self->state;
  while (!state.idle.empty() && !state.queue.empty()) {
    caf::actor reader = std::move(state.idle.back());
    state.idle.pop_back();
    const std::size_t share = (state.queue.size() + state.idle.size()) / (state.idle.size() + 1);
    const std::size_t count = std::min(std::max<std::size_t>(share, 1), max_reads_per_hand_out);
    auto pending = std::make_shared<std::vector<stream_reader_state::pending_read>>();
    auto requests = std::make_shared<std::vector<stream_read_message>>();
    for (std::size_t i = 0; i < count; ++i) {
      requests->push_back(state.queue.front().request);
      pending->push_back(std::move(state.queue.front()));
      state.queue.pop_front();
    }
    self->request(reader, caf::infinite, stream_read_batch{std::move(requests)})
        .then(
            [self, reader, pending](stream_read_batch_reply& replies) {
              for (std::size_t i = 0; i < pending->size(); ++i)
                (*pending)[i].promise.deliver(std::move((*replies)[i]));
              self->state.idle.push_back(reader);
              hand_out(self);
            },
            [self, reader, pending](caf::error& failure) {
              for (auto& read : *pending)
                read.promise.deliver(failed_read("stream reader failed: " + to_string(failure)));
              self->state.idle.push_back(reader);
              hand_out(self);
            });
  }
}

}  // namespace

caf::behavior stream_reader(self_pointer self, std::shared_ptr<event_store> store,
                            std::size_t readers) {
  for (std::size_t i = 0; i < std::max<std::size_t>(readers, 1); ++i)
    self->state.idle.push_back(self->spawn<caf::detached + caf::linked>(stream_read_worker, store));
  return {
      [self](stream_read_message& request) {
        self->state.queue.push_back({std::move(request), self->make_response_promise()});
        hand_out(self);
      },
  };
}

}  // namespace esk::actors
