// parallel_reads.hpp — the store's reads from several threads at once: the rows that show
// whether reads run in parallel (the SQLite store's reader pool) or one after another.
#pragma once

#include <esk/store/event_store.hpp>
#include <string>
#include <vector>

#include "figures.hpp"

namespace esk::bench {

// Two rows on `store` (named `store_name`), which holds `stream` of `stream_events` events:
// - baseline/read-stream-x4: 4 threads each read the whole stream at once (events/s of all);
// - baseline/read-beside-long: the latency of stream_version(`stream`), a one-row read, taken
//   once a millisecond while another thread reads the whole stream over and over (a small
//   rehydration beside a long one or a projection's catch-up).
// A failed read fails its row. Blocks for the reads (a few stream reads' time).
std::vector<figure> run_parallel_reads(event_store& store, const std::string& store_name,
                                       const std::string& stream, std::size_t stream_events);

}  // namespace esk::bench
