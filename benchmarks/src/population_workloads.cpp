// The workloads about how many aggregates a runtime holds: zipf (a million IDs with skewed
// popularity under a live cap: passivation and rehydration under load) and idle (the memory one
// live, idle aggregate actor costs, its state excluded).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <esk/esk.hpp>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "command_driver.hpp"
#include "process_memory.hpp"
#include "scratch_store.hpp"
#include "workloads.hpp"

namespace esk::bench {
namespace {

// A bench-only aggregate whose command is always accepted and whose state is one number, so
// the figures measure the runtime, not a domain.
struct Incremented {
  std::string counter_id;
};
BOOST_DESCRIBE_STRUCT(Incremented, (), (counter_id))

struct Increment {
  std::string counter_id;
};
BOOST_DESCRIBE_STRUCT(Increment, (), (counter_id))

struct Counter {
  long count = 0;
  void apply(const Incremented&) { ++count; }
  decision handle(const Increment& command) const { return emit(Incremented{command.counter_id}); }
};
BOOST_DESCRIBE_STRUCT(Counter, (), (count))

void register_counter(runtime& rt) {
  rt.aggregate<Counter>("Counter")
      .event<Incremented>("Incremented")
      .command<Increment>("Increment", &Increment::counter_id);
}

std::string counter_id(std::size_t rank) { return "c" + std::to_string(rank); }

// `commands` ranks in [0, ids) drawn from Zipf(1.0): rank k is chosen with weight 1/(k+1).
std::vector<std::uint32_t> zipf_ranks(std::size_t ids, std::size_t commands) {
  std::vector<double> cumulative(ids);
  double total = 0;
  for (std::size_t rank = 0; rank < ids; ++rank) cumulative[rank] = total += 1.0 / (rank + 1);
  std::mt19937_64 random{20261125};
  std::uniform_real_distribution<double> uniform{0, total};
  std::vector<std::uint32_t> ranks(commands);
  for (auto& rank : ranks)
    rank = static_cast<std::uint32_t>(
        std::upper_bound(cumulative.begin(), cumulative.end(), uniform(random)) -
        cumulative.begin());
  return ranks;
}

figure failed_row(figure row, const error& cause) {
  row.failed = 1;
  row.first_failure = cause.message;
  return row;
}

}  // namespace

std::vector<figure> run_zipf(const bench_options& options, const std::string& store_name) {
  const std::size_t ids = options.scaled(1000000), commands = options.scaled(1000000);
  const std::size_t live_cap = options.scaled(100000);
  figure row;
  row.name = "zipf";
  row.store = store_name;
  row.parameters = "ids=" + std::to_string(ids) + " commands=" + std::to_string(commands) +
                   " zipf_s=1.0 max_live=" + std::to_string(live_cap) +
                   " in_flight=" + std::to_string(options.in_flight);
  row.limit_keys = {"baseline/append-256@" + store_name};
  auto scratch = scratch_store::open(store_name, options, "zipf");
  if (!scratch) return {failed_row(row, scratch.error_value())};
  const auto ranks = zipf_ranks(ids, commands);
  runtime_options settings;
  settings.worker_threads = options.threads;
  settings.max_live_aggregates = live_cap;
  reset_peak_resident_bytes();
  auto rt = std::make_unique<runtime>((*scratch)->store(), settings);
  register_counter(*rt);
  command_plan plan;
  plan.lanes = commands;
  plan.steps = 1;
  plan.send = [&](std::size_t lane, std::size_t, command_callback done) {
    rt->send(Increment{counter_id(ranks[lane])}, std::move(done));
  };
  latency_histogram latency;
  const auto result = drive_concurrent(plan, options.in_flight, false, latency);
  auto counts = rt->count_aggregates();
  row.peak_rss_bytes = peak_resident_bytes();
  rt.reset();
  record_drive(result, latency, row);
  if (!counts) return {failed_row(row, counts.error_value())};
  const double rehydrations_per_second = counts->spawned / std::max(result.seconds, 1e-9);
  const double hit_rate = 1.0 - double(counts->spawned) / std::max<std::size_t>(commands, 1);
  row.note = "rehydrations " + std::to_string(counts->spawned) + " (" +
             std::to_string(static_cast<long>(rehydrations_per_second)) + "/s), cache hit rate " +
             std::to_string(hit_rate * 100).substr(0, 5) + " %, passivated " +
             std::to_string(counts->passivated) +
             "; target: >= 0.5 x users-10k/concurrent in the same run";
  return {row};
}

std::vector<figure> run_idle(const bench_options& options, const std::string& store_name) {
  const std::size_t aggregates = options.scaled(100000);
  figure row;
  row.name = "idle";
  row.store = store_name;
  row.parameters = "aggregates=" + std::to_string(aggregates) + " live, idle, no cap";
  auto scratch = scratch_store::open(store_name, options, "idle");
  if (!scratch) return {failed_row(row, scratch.error_value())};
  runtime_options settings;
  settings.worker_threads = options.threads;
  settings.max_live_aggregates = 0;
  auto rt = std::make_unique<runtime>((*scratch)->store(), settings);
  register_counter(*rt);
  command_plan plan;
  plan.lanes = aggregates;
  plan.steps = 1;
  plan.send = [&](std::size_t lane, std::size_t, command_callback done) {
    rt->send(Increment{counter_id(lane)}, std::move(done));
  };
  latency_histogram latency;
  // A first population warms the allocator and the store; the figure is the second one's
  // growth, so it counts what a live idle aggregate holds, not the heap's first expansion.
  drive_concurrent(plan, options.in_flight, false, latency);
  const std::uint64_t before = resident_bytes();
  plan.send = [&](std::size_t lane, std::size_t, command_callback done) {
    rt->send(Increment{counter_id(aggregates + lane)}, std::move(done));
  };
  const auto result = drive_concurrent(plan, options.in_flight, false, latency);
  const std::uint64_t after = resident_bytes();
  auto counts = rt->count_aggregates();
  row.peak_rss_bytes = peak_resident_bytes();
  rt.reset();
  record_drive(result, latency, row);
  if (!counts) return {failed_row(row, counts.error_value())};
  if (after > before) row.bytes_per_aggregate = double(after - before) / aggregates;
  row.note = "live aggregates " + std::to_string(counts->live) +
             "; B/aggregate = RSS growth of the second " + std::to_string(aggregates) +
             " / their count (actor, router entry, mailbox; state is one long; on SQLite the"
             " events are on disk); target <= 1 KB";
  return {row};
}

}  // namespace esk::bench
