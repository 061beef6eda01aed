// esk-bench: runs the named workloads on the chosen stores beside the raw baselines that bound
// them, and prints a table (or JSON) with each figure as a fraction of its limit.
//
//   esk-bench --help
//   esk-bench                                  # every workload, both stores, full size
//   esk-bench --scale 0.01 --baseline-seconds 0.05   # a smoke run of everything
#include <algorithm>
#include <iostream>

#include "bench_options.hpp"
#include "report.hpp"
#include "workloads.hpp"

namespace {

using namespace esk::bench;

bool wants(const bench_options& options, const std::string& workload) {
  return std::find(options.workloads.begin(), options.workloads.end(), workload) !=
         options.workloads.end();
}

void append_rows(std::vector<figure>& rows, std::vector<figure> more) {
  for (auto& row : more) {
    std::cerr << "esk-bench: " << row.name << " on " << row.store << ": done\n";
    rows.push_back(std::move(row));
  }
}

std::vector<figure> run_baselines(const bench_options& options) {
  std::vector<figure> rows;
  append_rows(rows, {caf_round_trips(options, 1)});
  if (options.in_flight != 1) append_rows(rows, {caf_round_trips(options, options.in_flight)});
  for (const auto& store : options.stores) {
    append_rows(rows, {store_appends(options, store, 1), store_appends(options, store, 256)});
    if (store == "sqlite") append_rows(rows, {disk_syncs(options)});
    if (store == "postgres") {
      append_rows(rows, {postgres_inserts(options, 1), postgres_inserts(options, 256)});
      for (std::size_t writers : {1, 4})
        for (const char* scheme : {"lock", "xmin"})
          append_rows(rows, {postgres_position_scheme(options, scheme, writers)});
    }
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  auto options = parse_options(argc, argv, &exit_code);
  if (!options) return exit_code;

  std::vector<figure> rows = run_baselines(*options);
  for (const auto& store : options->stores) {
    if (wants(*options, "users-10k")) append_rows(rows, run_users_10k(*options, store));
    if (wants(*options, "hot")) append_rows(rows, run_hot(*options, store));
    if (wants(*options, "many")) append_rows(rows, run_many(*options, store));
    if (wants(*options, "queued")) append_rows(rows, run_queued(*options, store));
    if (wants(*options, "zipf")) append_rows(rows, run_zipf(*options, store));
    if (wants(*options, "idle")) append_rows(rows, run_idle(*options, store));
    if (wants(*options, "burst")) append_rows(rows, run_burst(*options, store));
    if (wants(*options, "replay")) append_rows(rows, run_replay(*options, store));
    if (wants(*options, "catch-up")) append_rows(rows, run_catch_up(*options, store));
    if (wants(*options, "http")) append_rows(rows, run_http(*options, store));
  }
  judge(rows);

  const run_description run{options->command_line, describe_machine(options->directory)};
  if (options->json)
    print_json(std::cout, run, rows);
  else
    print_table(std::cout, run, rows);
  const bool any_failed =
      std::any_of(rows.begin(), rows.end(), [](const figure& row) { return row.failed > 0; });
  return any_failed ? 1 : 0;
}
