#include "aggregate_snapshots.hpp"

#include <caf/send.hpp>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "esk/identifiers.hpp"

namespace esk::actors {
namespace {

// Logs `line` the first time `reported` is set; later ones are only counted.
void log_once(const aggregate_actor_state& state, std::atomic<bool>& reported,
              const std::string& line) {
  if (!reported.exchange(true))
    write_log(*state.environment->log,
              line + " (logged once; see runtime::snapshot_stats for the count)");
}

// Decodes `taken` into `instance`; false when it does not decode (or the decoder throws).
bool decode_into(aggregate_instance& instance, const snapshot& taken, std::string& why) {
  try {
    auto loaded = instance.load_state_json(taken.state);
    if (!loaded) why = loaded.error_value().message;
    return loaded.ok();
  } catch (...) {
    why = describe_current_exception();
    return false;
  }
}

}  // namespace

std::optional<std::uint64_t> use_snapshot(const aggregate_actor_state& state,
                                          const stream_read& read, aggregate_instance& instance) {
  if (!read.snapshot_failure.empty())
    write_log(
        *state.environment->log,
        describe(state) + ": snapshot not read (replaying every event): " + read.snapshot_failure);
  if (!read.found_snapshot) return 0;
  const snapshot& taken = *read.found_snapshot;
  const snapshot_policy& policy = state.model->snapshots;
  snapshot_counters& counts = *state.environment->snapshot_counts;
  if (taken.schema_version != policy.schema_version()) {
    counts.ignored_other_schema.fetch_add(1, std::memory_order_relaxed);
    log_once(state, counts.reported_other_schema,
             describe(state) + ": ignored its snapshot of schema version " +
                 std::to_string(taken.schema_version) + " (the state's is " +
                 std::to_string(policy.schema_version()) + "); replaying every event");
    return 0;
  }
  std::string why;
  if (!decode_into(instance, taken, why)) {
    counts.ignored_unreadable.fetch_add(1, std::memory_order_relaxed);
    log_once(state, counts.reported_unreadable,
             describe(state) + ": ignored its snapshot at version " +
                 std::to_string(taken.version) + ", which does not decode (" + why +
                 "; did the state's layout change without a new schema version?); replaying "
                 "every event");
    return std::nullopt;
  }
  counts.loaded.fetch_add(1, std::memory_order_relaxed);
  return taken.version;
}

void count_applied(aggregate_actor_state& state, const std::vector<recorded_event>& applied) {
  if (!state.model->snapshots.enabled()) return;
  state.events_since_snapshot += applied.size();
  for (const auto& event : applied) state.bytes_since_snapshot += event.payload.size();
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
