// The replay workload: rehydrating one long stream, and projecting a long log (catch_up.hpp),
// from the store, beside the store's raw read rates for the same data.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <esk/esk.hpp>
#include <memory>
#include <string>

#include "aggregates/user.hpp"
#include "catch_up.hpp"
#include "parallel_reads.hpp"
#include "process_memory.hpp"
#include "scratch_store.hpp"
#include "user_commands.hpp"
#include "workloads.hpp"

namespace esk::bench {
namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

figure row_named(const std::string& name, const std::string& store, const std::string& params) {
  figure row;
  row.name = name;
  row.store = store;
  row.parameters = params;
  row.events_rate_is_figure = true;
  return row;
}

// The snapshot row's policy: a snapshot every 1,000 events for the full-size 100,000-event
// stream (the issue's figure), and proportionally fewer for smaller --scale runs.
std::size_t snapshot_interval(std::size_t stream_events) {
  return std::clamp<std::size_t>(stream_events / 100, 3, 1000);
}

// Rehydrating a stream of `stream_events` whose User aggregate takes a snapshot every
// snapshot_every events, at the worst point: the runtime's last snapshot is snapshot_every - 2
// events behind the stream's end (one more event and the next would be due). The snapshot is
// taken by a runtime as in production (a command after a full replay makes it due); the events
// before and after it are written straight to the store, as the other rows' are. The note
// gives the speed-up over `full` (replay/rehydrate of a stream as long, without snapshots).
figure rehydrate_from_snapshot(const bench_options& options, const std::string& store_name,
                               const std::shared_ptr<event_store>& store, std::size_t stream_events,
                               const figure& full) {
  const std::size_t snapshot_every = snapshot_interval(stream_events);
  const std::size_t tail = snapshot_every - 2;
  figure row = row_named("replay/rehydrate-snapshot", store_name,
                         "stream_events=" + std::to_string(stream_events) + " snapshot_every=" +
                             std::to_string(snapshot_every) + " tail=" + std::to_string(tail));
  row.operations = 1;
  auto fail = [&row](const std::string& why) {
    row.failed = 1;
    row.first_failure = why;
    return row;
  };
  if (stream_events < 2 * snapshot_every) return fail("the stream is shorter than two snapshots");
  const std::string user = "replay-snapshot";
  const std::size_t before = stream_events - tail - 1;  // then one command, then the tail
  if (!write_user_stream(*store, user, before)) return fail("writing the stream failed");
  runtime_options settings{options.threads, std::chrono::minutes(10)};
  const auto policy = snapshot_policy::every(snapshot_every);
  {
    runtime taker{store, settings};  // stopping waits for its snapshot write
    users::register_user(taker, policy);
    auto changed = taker.execute(users::ChangeEmail{user, "snapshot@bench.example"});
    if (!changed) return fail(changed.error_value().message);
  }
  const std::uint64_t snapshot_version = before + 1;
  if (!store->append({"User-" + user, snapshot_version, user_events(user, snapshot_version, tail)}))
    return fail("appending the tail failed");

  runtime rt{store, settings};
  users::register_user(rt, policy);
  reset_peak_resident_bytes();
  const auto started = clock_type::now();
  auto state = rt.state<users::User>(user);
  row.seconds = seconds_since(started);
  row.peak_rss_bytes = peak_resident_bytes();
  if (!state) return fail(state.error_value().message);
  row.events = 1 + static_cast<std::uint64_t>(state->email_changes);  // the events it reflects
  if (row.events != stream_events) return fail("the state does not reflect every event");
  if (rt.snapshot_stats().loaded != 1) return fail("no snapshot was loaded");
  if (row.seconds > 0 && full.seconds > 0) {
    char speedup[96];
    std::snprintf(speedup, sizeof speedup, "%.1fx faster than replay/rehydrate (target: >= 20x)",
                  full.seconds / row.seconds);
    row.note = speedup;
  }
  return row;
}

}  // namespace

std::vector<figure> run_replay(const bench_options& options, const std::string& store_name) {
  const std::size_t stream_events = options.scaled(100000);
  const std::size_t log_events = std::max(options.scaled(1000000), stream_events);
  const std::string stream_params = "stream_events=" + std::to_string(stream_events);
  figure read_stream = row_named("baseline/read-stream", store_name, stream_params);
  figure rehydrate = row_named("replay/rehydrate", store_name, stream_params);
  rehydrate.limit_keys = {"baseline/read-stream@" + store_name};
  std::vector<figure*> all{&read_stream, &rehydrate};
  auto failed = [&](const std::string& why) {
    for (figure* row : all) row->failed = 1, row->first_failure = why;
    return std::vector<figure>{read_stream, rehydrate};
  };

  auto scratch = scratch_store::open(store_name, options, "replay");
  if (!scratch) return failed(scratch.error_value().message);
  event_store& store = *(*scratch)->store();
  if (!write_replay_log(store, stream_events, log_events)) return failed("writing the log failed");

  // Raw reads, no actors: the limits of the two figures below.
  reset_peak_resident_bytes();
  auto started = clock_type::now();
  auto stream = store.read_stream("User-replay");
  read_stream.seconds = seconds_since(started);
  read_stream.peak_rss_bytes = peak_resident_bytes();
  if (!stream) return failed(stream.error_value().message);
  read_stream.operations = 1;
  read_stream.events = stream->size();
  stream = std::vector<recorded_event>{};

  // The read rehydration makes (only what applying needs), as the row above.
  figure read_to_rehydrate =
      row_named("baseline/read-stream-to-rehydrate", store_name, stream_params);
  reset_peak_resident_bytes();
  started = clock_type::now();
  auto narrow = store.read_stream_to_rehydrate("User-replay");
  read_to_rehydrate.seconds = seconds_since(started);
  read_to_rehydrate.peak_rss_bytes = peak_resident_bytes();
  if (!narrow) return failed(narrow.error_value().message);
  read_to_rehydrate.operations = 1;
  read_to_rehydrate.events = narrow->size();
  narrow = std::vector<recorded_event>{};

  // The same read page by page into one reused page, as rehydration reads
  // (actors/src/rehydration.hpp: rehydration_page_events).
  constexpr std::size_t rehydration_page = 256;
  figure read_paged = row_named("baseline/read-stream-to-rehydrate-paged", store_name,
                                stream_params + " page=" + std::to_string(rehydration_page));
  reset_peak_resident_bytes();
  started = clock_type::now();
  std::vector<recorded_event> page;
  for (std::uint64_t from = 1;;) {
    if (auto read =
            store.read_stream_to_rehydrate_into(page, "User-replay", from, rehydration_page);
        !read)
      return failed(read.error_value().message);
    read_paged.events += page.size();
    if (page.size() < rehydration_page) break;
    from = page.back().version + 1;
  }
  read_paged.seconds = seconds_since(started);
  read_paged.peak_rss_bytes = peak_resident_bytes();
  read_paged.operations = 1;
  page = std::vector<recorded_event>{};

  figure read_all = read_whole_log(store, store_name, log_events);
  figure read_all_into = read_whole_log_into(store, store_name, log_events);

  runtime_options runtime_settings{options.threads, std::chrono::minutes(10)};
  runtime rt{(*scratch)->store(), runtime_settings};
  users::register_user(rt);

  reset_peak_resident_bytes();
  started = clock_type::now();
  auto state = rt.state<users::User>("replay");
  rehydrate.seconds = seconds_since(started);
  rehydrate.peak_rss_bytes = peak_resident_bytes();
  rehydrate.operations = 1;
  if (!state) {
    rehydrate.failed = 1;
    rehydrate.first_failure = state.error_value().message;
  } else {
    rehydrate.events = 1 + static_cast<std::uint64_t>(state->email_changes);
  }

  std::vector<figure> projected = catch_up_projections(options, store_name, rt, log_events);
  figure from_snapshot =
      rehydrate_from_snapshot(options, store_name, (*scratch)->store(), stream_events, rehydrate);
  // Last, so that the other rows' peak RSS does not include what four threads' reads left
  // in the allocator.
  std::vector<figure> parallel_reads =
      run_parallel_reads(store, store_name, "User-replay", stream_events);
  std::vector<figure> rows{read_stream, read_to_rehydrate, read_paged, read_all, read_all_into};
  rows.insert(rows.end(), parallel_reads.begin(), parallel_reads.end());
  rows.push_back(rehydrate);
  rows.insert(rows.end(), projected.begin(), projected.end());
  rows.push_back(from_snapshot);
  return rows;
}

}  // namespace esk::bench
