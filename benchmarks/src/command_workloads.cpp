// The command-driven workloads: users-10k (sequential and concurrent), hot and many.
#include <chrono>
#include <esk/esk.hpp>
#include <iostream>
#include <memory>

#include "aggregates/user.hpp"
#include "allocation_counter.hpp"
#include "command_driver.hpp"
#include "process_memory.hpp"
#include "scratch_store.hpp"
#include "user_commands.hpp"
#include "workloads.hpp"

namespace esk::bench {
namespace {

// Lane = user u<lane>; step 0 creates it, step k changes its email for the k-th time.
command_plan users_plan(runtime& rt, std::size_t users, std::size_t steps) {
  command_plan plan;
  plan.lanes = users;
  plan.steps = steps;
  plan.send = [&rt](std::size_t lane, std::size_t step, command_callback done) {
    std::string id = user_id(lane);
    if (step == 0) {
      std::string email = user_email(id, 0);
      rt.send(users::CreateUser{std::move(id), "User " + std::to_string(lane), std::move(email)},
              std::move(done));
    } else {
      std::string email = user_email(id, step);
      rt.send(users::ChangeEmail{std::move(id), std::move(email)}, std::move(done));
    }
  };
  return plan;
}

enum class drive_mode { sequential, concurrent, pipelined };

struct drive_spec {
  std::string name;
  std::string parameters;
  std::size_t lanes, steps;
  drive_mode mode;
  std::size_t in_flight = 0;  // 0 = options.in_flight
  std::size_t max_live = 0;   // runtime_options::max_live_aggregates; 0 = the runtime's default
};

// Runs one drive on a fresh store and runtime, measuring RSS and (with `per_aggregate`)
// the resident bytes each aggregate added.
figure measure(const bench_options& options, const std::string& store_name, const drive_spec& spec,
               bool per_aggregate) {
  figure row;
  row.name = spec.name;
  row.store = store_name;
  row.parameters = spec.parameters;
  auto scratch = scratch_store::open(store_name, options, "commands");
  if (!scratch) {
    row.failed = 1;
    row.first_failure = to_string(scratch.error_value().kind).data();
    return row;
  }
  reset_peak_resident_bytes();
  runtime_options runtime_settings;
  runtime_settings.worker_threads = options.threads;
  if (options.remembered_commands)
    runtime_settings.remembered_commands = *options.remembered_commands;
  if (spec.max_live > 0) runtime_settings.max_live_aggregates = spec.max_live;
  auto rt = std::make_unique<runtime>((*scratch)->store(), runtime_settings);
  users::register_user(*rt);
  const std::uint64_t resident_before = resident_bytes();
  latency_histogram latency;
  auto plan = users_plan(*rt, spec.lanes, spec.steps);
  drive_result result;
  const std::uint64_t allocations_before = allocations_so_far();
  if (spec.mode == drive_mode::sequential)
    result = drive_sequential(plan, latency);
  else
    result = drive_concurrent(plan, spec.in_flight ? spec.in_flight : options.in_flight,
                              spec.mode == drive_mode::pipelined, latency);
  const std::uint64_t allocations = allocations_so_far() - allocations_before;
  if (result.commands > 0) row.allocations_per_operation = double(allocations) / result.commands;
  const std::uint64_t resident_after = resident_bytes();
  row.peak_rss_bytes = peak_resident_bytes();
  if (per_aggregate && spec.lanes > 0 && resident_after > resident_before)
    row.bytes_per_aggregate = double(resident_after - resident_before) / spec.lanes;
  const auto stop_started = std::chrono::steady_clock::now();
  rt.reset();
  const double stop_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - stop_started).count();
  if (stop_seconds > 0.5) row.note = "runtime shutdown took " + std::to_string(stop_seconds) + " s";
  record_drive(result, latency, row);
  return row;
}

std::string in_flight_text(const bench_options& options) {
  return "baseline/caf-rtt-" + std::to_string(options.in_flight);
}

// What bounds a drive: one command at a time is bounded by a bare round trip and, when
// durable, by one disk sync; with many in flight by pipelined round trips and batch appends.
std::vector<std::string> limits_of(const bench_options& options, const std::string& store,
                                   drive_mode mode) {
  if (mode == drive_mode::sequential) {
    if (store == "sqlite") return {"baseline/caf-rtt-1", "baseline/fdatasync@sqlite"};
    if (store == "postgres") return {"baseline/caf-rtt-1", "baseline/insert-1@postgres"};
    return {"baseline/caf-rtt-1", "baseline/append-1@" + store};
  }
  return {in_flight_text(options), "baseline/append-256@" + store};
}

}  // namespace

std::vector<figure> run_users_10k(const bench_options& options, const std::string& store) {
  const std::size_t users = options.scaled(10000);
  const std::string sizes =
      "users=" + std::to_string(users) + " commands=" + std::to_string(users * 10);
  std::vector<figure> rows;
  drive_spec sequential{"users-10k/sequential", sizes + " in_flight=1", users, 10,
                        drive_mode::sequential};
  if (options.sequential) {
    rows.push_back(measure(options, store, sequential, false));
    rows.back().limit_keys = limits_of(options, store, drive_mode::sequential);
  }
  if (!options.concurrent) return rows;
  const auto mode = options.hot ? drive_mode::pipelined : drive_mode::concurrent;
  drive_spec concurrent{options.hot ? "users-10k/concurrent-hot" : "users-10k/concurrent",
                        sizes + " in_flight=" + std::to_string(options.in_flight) +
                            (options.hot ? " several per aggregate" : " one per aggregate"),
                        users, 10, mode};
  rows.push_back(measure(options, store, concurrent, false));
  rows.back().limit_keys = limits_of(options, store, mode);
  return rows;
}

std::vector<figure> run_hot(const bench_options& options, const std::string& store) {
  const std::size_t commands = options.scaled(100000, 2);
  drive_spec hot{"hot", "aggregates=1 commands=" + std::to_string(commands) + " in_flight=1", 1,
                 commands, drive_mode::sequential};
  std::vector<figure> rows{measure(options, store, hot, false)};
  rows.back().limit_keys = limits_of(options, store, drive_mode::sequential);
  // The same aggregate with in_flight commands queued: they commit in batches, several
  // commands' events per append, so one fsync serves many commands.
  drive_spec queued{"hot/in-flight-" + std::to_string(options.in_flight),
                    "aggregates=1 commands=" + std::to_string(commands) +
                        " in_flight=" + std::to_string(options.in_flight),
                    1, commands, drive_mode::pipelined};
  rows.push_back(measure(options, store, queued, false));
  rows.back().limit_keys = limits_of(options, store, drive_mode::pipelined);
  return rows;
}

std::vector<figure> run_many(const bench_options& options, const std::string& store) {
  const std::size_t aggregates = options.scaled(1000000);
  const std::size_t live_cap = options.scaled(100000);
  drive_spec many{"many",
                  "aggregates=" + std::to_string(aggregates) +
                      " commands=" + std::to_string(aggregates) + " in_flight=" +
                      std::to_string(options.in_flight) + " max_live=" + std::to_string(live_cap),
                  aggregates,
                  1,
                  drive_mode::concurrent,
                  0,
                  live_cap};
  std::vector<figure> rows{measure(options, store, many, true)};
  rows.back().limit_keys = limits_of(options, store, drive_mode::concurrent);
  if (!rows.back().note.empty()) rows.back().note += "; ";
  rows.back().note += "B/aggregate = RSS growth / aggregates (actor + state + store's copy)";
  return rows;
}

std::vector<figure> run_queued(const bench_options& options, const std::string& store) {
  const std::size_t commands = options.scaled(65536, 2);
  const std::string sizes = "commands=" + std::to_string(commands) + " all sent at once";
  // The bound: the same number of commands, one per aggregate, so none waits behind another.
  drive_spec spread{"baseline/queued-spread",
                    sizes + ", one per aggregate",
                    commands,
                    1,
                    drive_mode::concurrent,
                    commands};
  drive_spec one{"queued/one-aggregate",
                 sizes + ", all to one aggregate",
                 1,
                 commands,
                 drive_mode::pipelined,
                 commands};
  std::vector<figure> rows{measure(options, store, spread, false),
                           measure(options, store, one, false)};
  rows.back().limit_keys = {"baseline/queued-spread@" + store};
  rows.back().note = "target: >= 0.5 of queued-spread (issue 14: within 2x its time)";
  return rows;
}

}  // namespace esk::bench
