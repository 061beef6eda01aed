// catch_up.hpp — the long log the replay workloads read, and a projection's catch-up over it:
// raw (a counting projection), typed with a checkpoint every 1,000 events in the event store,
// and typed into a SQLite read model (rows and checkpoint in one transaction per 1,000).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "bench_options.hpp"
#include "esk/runtime.hpp"
#include "esk/store/event_store.hpp"
#include "figures.hpp"

namespace esk::bench {

// Writes the log: stream User-replay with `stream_events` events, then streams of 64 events
// (256 events per transaction) up to `log_events` in all. Returns false on a failed append.
bool write_replay_log(event_store& store, std::size_t stream_events, std::size_t log_events);

// Row "baseline/read-all": the store's own paged read_all of the whole log (1,024 per page),
// no actors.
figure read_whole_log(event_store& store, const std::string& store_name, std::size_t log_events);

// Row "baseline/read-all-into": the same paged read into one page reused from page to page
// (event_store::read_all_into), as a projection's catch-up reads.
figure read_whole_log_into(event_store& store, const std::string& store_name,
                           std::size_t log_events);

// Catches up projections added to `rt` (registered with the users' aggregate, over a log of
// `log_events`) and times each from add_projection to sync_projections. Three rows:
// "replay/projection" (counting, no checkpoint), "replay/projection-typed" (decoded per type,
// an in-memory update per event, checkpoint every 1,000 in the event store) and
// "replay/projection-sqlite-model" (one upsert per event into a read model file in
// options.directory, rows and checkpoint in one transaction per 1,000). Each is judged against
// "baseline/read-all@<store_name>".
std::vector<figure> catch_up_projections(const bench_options& options,
                                         const std::string& store_name, runtime& rt,
                                         std::size_t log_events);

}  // namespace esk::bench
