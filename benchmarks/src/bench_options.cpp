#include "bench_options.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>

namespace esk::bench {
namespace {

void print_help(std::ostream& out) {
  out << "usage: esk-bench [options] [workload...]\n\n"
         "Runs workloads on event-sourcing-kit beside the raw limits that bound them (bare CAF\n"
         "round trips, the store's append rate without actors, fdatasync calls/s) and prints\n"
         "each figure as a fraction of its limit.\n\nworkloads (default: all):\n";
  for (const auto& workload : known_workloads())
    out << "  " << workload.name << std::string(12 - std::string(workload.name).size(), ' ')
        << workload.summary << "\n";
  out << "\noptions:\n"
         "  --store NAME        memory, sqlite, postgres or all (default all: memory and\n"
         "                      sqlite); repeatable\n"
         "  --postgres URL      the database --store postgres uses (postgresql://...); each\n"
         "                      measurement gets a schema of its own, dropped afterwards\n"
         "  --scale F           multiply every size by F (e.g. 0.01 for a smoke run; default 1)\n"
         "  --in-flight N       commands in flight for concurrent drivers (default 64)\n"
         "  --hot               users-10k concurrent: allow several in flight per aggregate\n"
         "  --mode M            users-10k: sequential, concurrent or both (default both)\n"
         "  --threads N         actor scheduler threads, 0 = one per core (default 0)\n"
         "  --remembered-commands N  command IDs each aggregate remembers (idempotent\n"
         "                      commands), 0 = off (default: the runtime's, 1000)\n"
         "  --dir PATH          directory for the SQLite files and the fdatasync probe (default "
         ".)\n"
         "  --baseline-seconds S  time budget of each time-bound baseline (default 1)\n"
         "  --json              print JSON instead of the table\n"
         "  --help              this text\n";
}

bool is_known_workload(const std::string& name) {
  const auto& all = known_workloads();
  return std::any_of(all.begin(), all.end(), [&](const auto& w) { return name == w.name; });
}

}  // namespace

std::size_t bench_options::scaled(std::size_t count, std::size_t minimum) const {
  const auto value = static_cast<std::size_t>(std::llround(static_cast<double>(count) * scale));
  return std::max(value, minimum);
}

const std::vector<workload_description>& known_workloads() {
  static const std::vector<workload_description> all{
      {"users-10k", "10,000 users x (CreateUser + 9 ChangeEmail): sequential and concurrent"},
      {"hot", "one aggregate, 100,000 sequential commands (the per-aggregate ceiling)"},
      {"many", "1,000,000 aggregate IDs, one command each (spawn cost, memory/aggregate)"},
      {"queued", "65,536 commands queued at once on one aggregate vs spread over 65,536"},
      {"zipf", "1,000,000 IDs, 1,000,000 commands, Zipf(1.0) popularity, live cap 100,000"},
      {"idle", "memory per live idle aggregate actor (100,000 of them, state excluded)"},
      {"burst", "1,000,000 commands at once, in-flight bound 10,000, store slowed to 1 ms/commit"},
      {"replay", "rehydrate one 100,000-event stream; project a 1,000,000-event log"},
      {"catch-up", "replay's projection rows alone: catch up on a 1,000,000-event log"},
      {"http", "users-10k concurrent over keep-alive HTTP (--in-flight connections) vs without"},
  };
  return all;
}

std::optional<bench_options> parse_options(int argc, char** argv, int* exit_code) {
  bench_options options;
  std::ostringstream command_line;
  for (int i = 0; i < argc; ++i) command_line << (i ? " " : "") << argv[i];
  options.command_line = command_line.str();
  auto fail = [&](const std::string& message) -> std::optional<bench_options> {
    std::cerr << "esk-bench: " << message << " (try --help)\n";
    *exit_code = 2;
    return std::nullopt;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    try {
      if (arg == "--help" || arg == "-h") {
        print_help(std::cout);
        *exit_code = 0;
        return std::nullopt;
      } else if (arg == "--json") {
        options.json = true;
      } else if (arg == "--hot") {
        options.hot = true;
      } else if (arg == "--store" || arg == "--scale" || arg == "--in-flight" ||
                 arg == "--threads" || arg == "--dir" || arg == "--baseline-seconds" ||
                 arg == "--mode" || arg == "--postgres" || arg == "--remembered-commands") {
        auto text = value();
        if (!text) return fail(arg + " needs a value");
        if (arg == "--store") {
          if (*text == "all")
            options.stores = {"memory", "sqlite"};
          else if (*text == "memory" || *text == "sqlite" || *text == "postgres")
            options.stores.push_back(*text);
          else
            return fail("unknown store '" + *text + "' (memory, sqlite, postgres, all)");
        } else if (arg == "--postgres") {
          options.postgres_url = *text;
        } else if (arg == "--scale") {
          options.scale = std::stod(*text);
          if (!(options.scale > 0)) return fail("--scale must be > 0");
        } else if (arg == "--in-flight") {
          options.in_flight = std::stoul(*text);
          if (options.in_flight == 0) return fail("--in-flight must be >= 1");
        } else if (arg == "--threads") {
          options.threads = std::stoul(*text);
        } else if (arg == "--remembered-commands") {
          options.remembered_commands = std::stoul(*text);
        } else if (arg == "--mode") {
          if (*text != "sequential" && *text != "concurrent" && *text != "both")
            return fail("unknown mode '" + *text + "' (sequential, concurrent, both)");
          options.sequential = *text != "concurrent";
          options.concurrent = *text != "sequential";
        } else if (arg == "--dir") {
          options.directory = *text;
        } else {
          options.baseline_seconds = std::stod(*text);
        }
      } else if (is_known_workload(arg)) {
        options.workloads.push_back(arg);
      } else if (arg == "all") {
        for (const auto& workload : known_workloads())
          if (workload.name != std::string("catch-up")) options.workloads.push_back(workload.name);
      } else {
        return fail("unknown argument '" + arg + "'");
      }
    } catch (const std::exception&) {
      return fail("bad number for " + arg);
    }
  }
  if (options.workloads.empty())
    for (const auto& workload : known_workloads())
      if (workload.name != std::string("catch-up"))  // replay's rows: only when named
        options.workloads.push_back(workload.name);
  if (options.stores.empty()) options.stores = {"memory", "sqlite"};
  const bool wants_postgres =
      std::find(options.stores.begin(), options.stores.end(), "postgres") != options.stores.end();
  if (wants_postgres && options.postgres_url.empty())
    return fail("--store postgres needs --postgres URL");
  return options;
}

}  // namespace esk::bench
