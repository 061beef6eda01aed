// bench_options.hpp — the command line of esk-bench.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace esk::bench {

// What to run and how. Sizes are the defaults multiplied by `scale`.
struct bench_options {
  std::vector<std::string> workloads;  // users-10k, hot, many, replay (default: all four)
  std::vector<std::string> stores;     // memory, sqlite, postgres (default: memory, sqlite)
  std::string postgres_url;            // --postgres: the database --store postgres uses
  double scale = 1.0;                  // multiplies every size (0.01 for a smoke run)
  std::size_t in_flight = 64;          // concurrent drivers: commands in flight
  bool hot = false;                    // users-10k concurrent: allow several per aggregate
  bool sequential = true;              // users-10k: run the sequential drive
  bool concurrent = true;              // users-10k: run the concurrent drive
  std::size_t threads = 0;             // actor scheduler threads; 0 = one per core
  // runtime_options::remembered_commands for the command workloads (idempotent commands);
  // nullopt = the runtime's default.
  std::optional<std::size_t> remembered_commands;
  std::string directory = ".";    // where SQLite files (and the fdatasync probe) go
  double baseline_seconds = 1.0;  // time budget of each time-bound baseline
  bool json = false;              // print JSON instead of the table
  std::string command_line;       // as typed, for the report

  // `count` scaled, at least `minimum`.
  std::size_t scaled(std::size_t count, std::size_t minimum = 1) const;
};

// The workloads esk-bench knows, with one line each for --help.
struct workload_description {
  const char* name;
  const char* summary;
};
const std::vector<workload_description>& known_workloads();

// Parses argv. Returns the options, or nullopt after printing --help (to stdout, *exit_code
// = 0) or an error (to stderr, *exit_code = 2).
std::optional<bench_options> parse_options(int argc, char** argv, int* exit_code);

}  // namespace esk::bench
