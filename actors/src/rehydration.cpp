#include "rehydration.hpp"

#include <exception>
#include <optional>
#include <utility>
#include <vector>

#include "esk/error.hpp"

namespace esk::actors {
namespace {

// Logs `line` the first time `reported` is set; later ones are only counted.
void log_once(const rehydration& job, std::atomic<bool>& reported, const std::string& line) {
  if (!reported.exchange(true))
    write_log(*job.log, line + " (logged once; see runtime::snapshot_stats for the count)");
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

// Loads `taken` into job.instance (fresh) when it has the policy's schema version; returns the
// stream version it reflects, or 0 when it is of another schema version (counted, ignored).
// Returns nullopt when it has the policy's schema version but does not decode (counted): the
// instance is then spoilt and the events after the snapshot are not enough.
std::optional<std::uint64_t> use_snapshot(rehydration& job, const snapshot& taken) {
  const snapshot_policy& policy = job.model->snapshots;
  snapshot_counters& counts = *job.snapshot_counts;
  if (taken.schema_version != policy.schema_version()) {
    counts.ignored_other_schema.fetch_add(1, std::memory_order_relaxed);
    log_once(job, counts.reported_other_schema,
             job.description + ": ignored its snapshot of schema version " +
                 std::to_string(taken.schema_version) + " (the state's is " +
                 std::to_string(policy.schema_version()) + "); replaying every event");
    return 0;
  }
  std::string why;
  if (!decode_into(*job.instance, taken, why)) {
    counts.ignored_unreadable.fetch_add(1, std::memory_order_relaxed);
    log_once(job, counts.reported_unreadable,
             job.description + ": ignored its snapshot at version " +
                 std::to_string(taken.version) + ", which does not decode (" + why +
                 "; did the state's layout change without a new schema version?); replaying "
                 "every event");
    return std::nullopt;
  }
  counts.loaded.fetch_add(1, std::memory_order_relaxed);
  return taken.version;
}

// Starts job.instance from the stream's snapshot when the job asks for one and it can be used;
// returns the version the events to apply start at.
std::uint64_t start_from_snapshot(event_store& store, rehydration& job) {
  if (!job.with_snapshot || !job.model->snapshots.enabled()) return 1;
  auto found = store.read_snapshot(job.stream);
  if (!found) {
    write_log(*job.log, job.description + ": snapshot not read (replaying every event): " +
                            found.error_value().message);
    return 1;
  }
  if (!*found) return 1;
  const std::optional<std::uint64_t> version = use_snapshot(job, **found);
  if (!version) {
    job.instance = job.model->make_instance();
    return 1;
  }
  job.version = *version;
  return *version + 1;
}

// Applies `page` to job.instance, in order, and counts it. Never throws.
status apply_page(rehydration& job, const std::vector<recorded_event>& page) {
  std::uint64_t at = 0;
  try {
    for (const recorded_event& event : page) {
      at = event.version;
      if (auto applied = job.instance->apply(event); !applied)
        return error{applied.kind(), "rehydrating " + job.description + " at version " +
                                         std::to_string(at) + ": " + applied.error_value().message};
      job.version = at;
      job.commands.add(event);
      ++job.events_applied;
      job.payload_bytes_applied += event.payload.size();
    }
  } catch (...) {
    return error{error_kind::handler_failed,
                 "rehydrating " + job.description + " at version " + std::to_string(at) +
                     ": an event handler threw: " + describe_current_exception()};
  }
  return {};
}

// Reads the events from `from` on a page at a time into one reused page, applying each page
// before reading the next; a page shorter than rehydration_page_events is the last.
status apply_stream(event_store& store, rehydration& job, std::uint64_t from) {
  std::vector<recorded_event> page;
  for (;;) {
    status read;
    try {
      read = store.read_stream_to_rehydrate_into(page, job.stream, from, rehydration_page_events);
    } catch (...) {
      read = error{error_kind::store_unavailable, describe_current_exception()};
    }
    if (!read)
      return error{read.kind(), "rehydrating " + job.description + ": reading stream '" +
                                    job.stream + "' from version " + std::to_string(from) +
                                    " failed: " + read.error_value().message};
    if (auto applied = apply_page(job, page); !applied) return applied;
    if (page.size() < rehydration_page_events) return {};
    from = page.back().version + 1;
  }
}

}  // namespace

void rehydrate(event_store& store, rehydration& job) {
  try {
    job.instance = job.model->make_instance();
    job.commands = recent_commands{job.remembered_commands};
    job.outcome = apply_stream(store, job, start_from_snapshot(store, job));
  } catch (...) {
    job.outcome =
        error{error_kind::store_unavailable,
              "rehydrating " + job.description + " failed: " + describe_current_exception()};
  }
  if (!job.outcome) job.instance.reset();
}

}  // namespace esk::actors
