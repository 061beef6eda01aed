#include "stream_reader.hpp"

#include <caf/event_based_actor.hpp>
#include <utility>

#include "esk/error.hpp"

namespace esk::actors {
namespace {

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
    reply->events = store.read_stream(request.stream, reply->events_from);
  } catch (...) {
    reply->events =
        error{error_kind::store_unavailable,
              "reading stream '" + request.stream + "' failed: " + describe_current_exception()};
  }
  return reply;
}

// One reader: owns one blocking store read at a time, on its own thread.
caf::behavior stream_read_worker(caf::event_based_actor*, std::shared_ptr<event_store> store) {
  return {[store](stream_read_message& request) { return read(*store, *request); }};
}

stream_read_reply failed_read(const std::string& why) {
  auto reply = std::make_shared<stream_read>();
  reply->events = error{error_kind::store_unavailable, why};
  return reply;
}

// Hands queued reads to idle readers, oldest first.
void hand_out(self_pointer self) {
  auto& state = self->state;
  while (!state.idle.empty() && !state.queue.empty()) {
    caf::actor reader = std::move(state.idle.back());
    state.idle.pop_back();
    auto next = std::make_shared<stream_reader_state::pending_read>(std::move(state.queue.front()));
    state.queue.pop_front();
    self->request(reader, caf::infinite, next->request)
        .then(
            [self, reader, next](stream_read_reply& reply) {
              next->promise.deliver(std::move(reply));
              self->state.idle.push_back(reader);
              hand_out(self);
            },
            [self, reader, next](caf::error& failure) {
              next->promise.deliver(failed_read("stream reader failed: " + to_string(failure)));
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
