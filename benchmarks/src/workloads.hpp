// workloads.hpp — the named workloads and the raw baselines of esk-bench. Each returns its
// report rows; a row names the baselines that bound it (figure::limit_keys).
#pragma once

#include <string>
#include <vector>

#include "bench_options.hpp"
#include "figures.hpp"

namespace esk::bench {

// users-10k on `store`: 10,000 users x 10 commands, sequential then concurrent. Two rows.
std::vector<figure> run_users_10k(const bench_options& options, const std::string& store);

// hot on `store`: one aggregate, 100,000 sequential commands. One row.
std::vector<figure> run_hot(const bench_options& options, const std::string& store);

// many on `store`: 1,000,000 aggregate IDs, one command each, concurrent. One row.
std::vector<figure> run_many(const bench_options& options, const std::string& store);

// queued on `store`: 65,536 commands sent at once to one aggregate, beside the same number
// spread over as many aggregates (the row it is judged against). Two rows.
std::vector<figure> run_queued(const bench_options& options, const std::string& store);

// burst on `store`: 1,000,000 commands sent at once with max_in_flight 10,000 over the store
// slowed to 1 ms per commit; counts accepted and overloaded answers, peak RSS. One row.
std::vector<figure> run_burst(const bench_options& options, const std::string& store);

// zipf on `store`: 1,000,000 IDs, 1,000,000 commands of Zipf(1.0) popularity, live cap
// 100,000; the note gives rehydrations/s and the cache hit rate. One row.
std::vector<figure> run_zipf(const bench_options& options, const std::string& store);

// idle on `store`: the resident memory of one live, idle aggregate actor (100,000 of them,
// state excluded). One row.
std::vector<figure> run_idle(const bench_options& options, const std::string& store);

// replay on `store`: rehydrate one 100,000-event stream and project a 1,000,000-event log (raw;
// typed with a checkpoint every 1,000 events; into a SQLite read model), with the store's raw
// read rates as baselines (also from several threads at once: parallel_reads.hpp), and
// rehydrate from a snapshot. Nine rows.
std::vector<figure> run_replay(const bench_options& options, const std::string& store);

// catch-up on `store`: the replay workload's projection rows alone (a 1,000,000-event log:
// raw, typed with checkpoints in the event store, typed into a SQLite read model) beside the
// store's paged read_all. Four rows.
std::vector<figure> run_catch_up(const bench_options& options, const std::string& store);

// http on `store`: users-10k sent as JSON commands over options.in_flight keep-alive HTTP
// connections to an in-process http_server on a loopback port (http_load.hpp), beside
// users-10k concurrent without HTTP in the same run. Two rows: "baseline/users-10k-concurrent"
// and "http/users-10k" (judged against it; target >= 0.5).
std::vector<figure> run_http(const bench_options& options, const std::string& store);

// Bare CAF request/response round trips between two actors, `in_flight` at a time, on the
// runtime's scheduler settings. Row "baseline/caf-rtt-<in_flight>".
figure caf_round_trips(const bench_options& options, std::size_t in_flight);

// The store's append rate without actors: `batch` single-event appends per transaction.
// Row "baseline/append-<batch>".
figure store_appends(const bench_options& options, const std::string& store, std::size_t batch);

// fdatasync calls/s on a 4 KiB block in options.directory. Row "baseline/fdatasync" (sqlite).
figure disk_syncs(const bench_options& options);

// The PostgreSQL server's raw INSERT rate through libpq (no store): `rows_per_transaction`
// event-like rows in one INSERT per transaction, into options.postgres_url.
// Row "baseline/insert-<rows_per_transaction>" (postgres).
figure postgres_inserts(const bench_options& options, std::size_t rows_per_transaction);

// What a trustworthy global position costs PostgreSQL writers: `writers` connections at once
// writing 256-row transactions into raw tables under `scheme`: "lock" (one append lock, the
// store's way) or "xmin" (sequence positions and a transaction-ID column with an index in
// commit order, read below pg_snapshot_xmin). Row "baseline/positions-<scheme>-<writers>".
figure postgres_position_scheme(const bench_options& options, const std::string& scheme,
                                std::size_t writers);

}  // namespace esk::bench
