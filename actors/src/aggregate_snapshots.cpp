#include "aggregate_snapshots.hpp"

#include <caf/send.hpp>
#include <string>
#include <utility>

#include "esk/identifiers.hpp"

namespace esk::actors {

void count_applied(aggregate_actor_state& state, const std::vector<recorded_event>& applied) {
  if (!state.model->snapshots.enabled()) return;
  std::uint64_t payload_bytes = 0;
  for (const auto& event : applied) payload_bytes += event.payload.size();
  count_applied(state, applied.size(), payload_bytes);
}

void count_applied(aggregate_actor_state& state, std::uint64_t events,
                   std::uint64_t payload_bytes) {
  if (!state.model->snapshots.enabled()) return;
  state.events_since_snapshot += events;
  state.bytes_since_snapshot += payload_bytes;
}

snapshot_message snapshot_if_due(aggregate_actor_state& state) {
  const snapshot_policy& policy = state.model->snapshots;
  if (!policy.enabled() || !state.instance) return nullptr;
  if (!policy.due(state.events_since_snapshot, state.bytes_since_snapshot)) return nullptr;
  if (!state.environment->snapshot_writer) return nullptr;
  state.events_since_snapshot = 0;
  state.bytes_since_snapshot = 0;
  return std::make_shared<snapshot_job>(state.environment->snapshot_writes);
}

void hand_off_snapshot(caf::event_based_actor* self, const aggregate_actor_state& state,
                       snapshot_message job) {
  try {
    if (!state.instance) return;  // dropped meanwhile: the next rehydration starts over
    auto json = state.instance->state_json();
    if (!json) {
      write_log(*state.environment->log,
                describe(state) + ": no snapshot taken: " + json.error_value().message);
      return;
    }
    job->taken = {state.stream, state.version, state.model->snapshots.schema_version(),
                  std::move(*json), utc_timestamp_now()};
    self->send(state.environment->snapshot_writer, std::move(job));
  } catch (...) {
    write_log(*state.environment->log,
              describe(state) + ": no snapshot taken: " + describe_current_exception());
  }
}

}  // namespace esk::actors
