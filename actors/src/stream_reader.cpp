#include "stream_reader.hpp"

#include <algorithm>
#include <caf/event_based_actor.hpp>
#include <utility>
#include <vector>

#include "esk/error.hpp"

namespace esk::actors {

// Dispatcher -> reader -> dispatcher: several rehydrations handed out at once (fewer thread
// wake-ups under load), run in order.
using rehydration_batch = std::shared_ptr<const std::vector<rehydration_message>>;

}  // namespace esk::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::rehydration_batch)

namespace esk::actors {
namespace {

// The most reads one reader takes at a time.
constexpr std::size_t max_reads_per_hand_out = 16;

using self_pointer = caf::stateful_actor<stream_reader_state>*;

// One reader: runs the rehydrations it is handed (blocking store reads, and applying what they
// read), one after the other, on its own thread; answers with the batch when all are done.
caf::behavior stream_read_worker(caf::event_based_actor*, std::shared_ptr<event_store> store) {
  return {[store](rehydration_batch& jobs) {
    for (const auto& job : *jobs) rehydrate(*store, *job);
    return jobs;
  }};
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
    auto jobs = std::make_shared<std::vector<rehydration_message>>();
    for (std::size_t i = 0; i < count; ++i) {
      jobs->push_back(state.queue.front().job);
      pending->push_back(std::move(state.queue.front()));
      state.queue.pop_front();
    }
    self->request(reader, caf::infinite, rehydration_batch{std::move(jobs)})
        .then(
            [self, reader, pending](rehydration_batch&) {
              for (auto& read : *pending) read.promise.deliver(std::move(read.job));
              self->state.idle.push_back(reader);
              hand_out(self);
            },
            [self, reader, pending](caf::error& failure) {
              for (auto& read : *pending) {
                read.job->instance.reset();
                read.job->outcome = error{error_kind::store_unavailable,
                                          "rehydrating " + read.job->description +
                                              ": stream reader failed: " + to_string(failure)};
                read.promise.deliver(std::move(read.job));
              }
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
      [self](rehydration_message& job) {
        self->state.queue.push_back({std::move(job), self->make_response_promise()});
        hand_out(self);
      },
  };
}

}  // namespace esk::actors
