#include "snapshot_writer.hpp"

#include <exception>
#include <utility>

#include "messages.hpp"

namespace esk::actors {

snapshot_statistics snapshot_counters::read() const {
  snapshot_statistics now;
  now.loaded = loaded.load(std::memory_order_relaxed);
  now.ignored_other_schema = ignored_other_schema.load(std::memory_order_relaxed);
  now.ignored_unreadable = ignored_unreadable.load(std::memory_order_relaxed);
  now.written = written.load(std::memory_order_relaxed);
  now.write_failures = write_failures.load(std::memory_order_relaxed);
  return now;
}

snapshot_job::snapshot_job(std::shared_ptr<in_flight_counter> pending)
    : pending_(std::move(pending)) {
  pending_->enter();
}

snapshot_job::~snapshot_job() { pending_->leave(); }

namespace {

using self_pointer = caf::stateful_actor<snapshot_writer_state>*;

// Writes one snapshot; what fails is counted and logged, never thrown.
void write_one(snapshot_writer_state& state, const snapshot& taken) {
  status written = error{error_kind::store_unavailable, "the store threw"};
  try {
    written = state.store->write_snapshot(taken);
  } catch (...) {
    written = error{error_kind::store_unavailable, describe_current_exception()};
  }
  if (written) {
    state.counters->written.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  state.counters->write_failures.fetch_add(1, std::memory_order_relaxed);
  write_log(*state.log,
            "snapshot of " + taken.stream + " at version " + std::to_string(taken.version) +
                " not written (rehydration replays more events): " + written.error_value().message);
}

}  // namespace

caf::behavior snapshot_writer(self_pointer self, std::shared_ptr<event_store> store,
                              std::shared_ptr<snapshot_counters> counters,
                              std::shared_ptr<const log_sink> log) {
  self->state.store = std::move(store);
  self->state.counters = std::move(counters);
  self->state.log = std::move(log);
  return {
      [=](snapshot_message& job) {
        auto& state = self->state;
        const std::string stream = job->taken.stream;
        // Replaces (and so releases) an older one of the stream still queued.
        state.queued[stream] = std::move(job);
        if (!state.flush_scheduled) {
          state.flush_scheduled = true;
          // Lands behind every snapshot already in the mailbox, which join this flush.
          self->send(self, flush_atom::value);
        }
      },
      [=](flush_atom) {
        auto& state = self->state;
        state.flush_scheduled = false;
        auto queued = std::move(state.queued);
        state.queued.clear();
        for (auto& [stream, job] : queued) write_one(state, job->taken);
      },
  };
}

}  // namespace esk::actors
