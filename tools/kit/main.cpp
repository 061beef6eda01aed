// event-sourcing-kit: scaffolds applications and inspects stores.
//
//   event-sourcing-kit init <dir> [--name NAME] [--template app|orders] [--force]
//   event-sourcing-kit streams <db> [--json]
//   event-sourcing-kit events <db> [--stream S] [--type T] [--from POS] [--limit N]
//   event-sourcing-kit stats <db> [--json]
//
// Exit codes: esk/cli/exit_code.hpp (docs/CLI.md).
#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <string>

#include "esk/cli/arguments.hpp"
#include "esk/cli/exit_code.hpp"
#include "project_init.hpp"
#include "store_inspection.hpp"

namespace {

using namespace esk;

const char* const usage =
    "usage: event-sourcing-kit <command> [arguments]\n"
    "\n"
    "commands:\n"
    "  init <dir> [--name NAME] [--template app|orders] [--force]\n"
    "        write a new application into <dir>: app (default) is a worked User example,\n"
    "        orders adds a process manager and a SQLite read model; refuses a non-empty\n"
    "        <dir> unless --force\n"
    "  streams <db> [--json]\n"
    "        each stream with its version, event count and last position\n"
    "  events <db> [--stream S] [--type T] [--from POS] [--limit N]\n"
    "        the recorded events as JSON lines, in log order\n"
    "  stats <db> [--json]\n"
    "        events, streams, event types with counts, file size\n"
    "  help | --help      this text\n"
    "  version | --version\n"
    "\n"
    "<db> is a SQLite store file or a PostgreSQL database (postgresql://user@host/db).\n"
    "Stores are opened read-only and never created.\n"
    "exit codes: 0 success, 1 other failure, 4 bad input (usage, bad or too large number),\n"
    "            5 store error (missing file, a directory, not a store, newer schema, I/O)\n";

struct subcommand {
  cli::option_spec options;
  std::function<int(const cli::arguments&, std::ostream&, std::ostream&)> run;
};

const std::map<std::string, subcommand>& subcommands() {
  static const std::map<std::string, subcommand> table = {
      {"init", {kit::init_options(), kit::run_init}},
      {"streams", {kit::streams_options(), kit::run_streams}},
      {"events", {kit::events_options(), kit::run_events}},
      {"stats", {kit::stats_options(), kit::run_stats}},
  };
  return table;
}

int usage_error(const std::string& problem) {
  std::cerr << "event-sourcing-kit: " << problem << " (see 'event-sourcing-kit help')\n";
  return cli::exit_bad_input;
}

int run(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << usage;
    return cli::exit_bad_input;
  }
  const std::string command = argv[1];
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << usage;
    return cli::exit_success;
  }
  if (command == "version" || command == "--version") {
    std::cout << "event-sourcing-kit " << ESK_KIT_VERSION << '\n';
    return cli::exit_success;
  }
  auto found = subcommands().find(command);
  if (found == subcommands().end()) return usage_error("unknown command '" + command + "'");
  auto args = cli::arguments::parse(cli::argument_list(argc, argv, 2), found->second.options);
  if (!args) return usage_error(command + ": " + args.error_value().message);
  return found->second.run(*args, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& failure) {
    std::cerr << "event-sourcing-kit: " << failure.what() << '\n';
    return esk::cli::exit_failure;
  }
}
