#include "esk/app_cli.hpp"

#include <exception>
#include <memory>

#include "esk/cli/arguments.hpp"
#include "esk/cli/event_listing.hpp"
#include "esk/cli/projection_commands.hpp"
#include "esk/cli/runtime_flags.hpp"
#include "esk/cli/serve_command.hpp"
#include "esk/store/open_store.hpp"

namespace esk {
namespace {

using cli::arguments;
using cli::option_spec;

std::string usage(const std::string& name) {
  return "usage: " + name +
         " [--db STORE] [--conflict-retries N] [--timeout-ms N] [command]\n"
         "\n"
         "commands:\n"
         "  demo                    run the app's demo (the default without a command)\n"
         "  send '<json>'           send a command, e.g.\n"
         "                          '{\"type\": \"CreateUser\", \"payload\": {...}}';\n"
         "                          prints the recorded events as JSON lines\n"
         "  state <Aggregate> <id>  print the state of one aggregate instance as JSON;\n"
         "                          exit 6 if it has no events\n"
         "  events [--stream S] [--type T] [--from POS] [--limit N]\n"
         "                          print the recorded events as JSON lines\n"
         "  serve [--bind ADDR] [--port N] [--token-file FILE]\n"
         "                          serve the app over HTTP (docs/HTTP.md) until SIGTERM or\n"
         "                          SIGINT; ADDR defaults to 127.0.0.1, N to 8080 (0: any free\n"
         "                          port); any address but loopback needs a bearer token, from\n"
         "                          FILE or the ESK_HTTP_TOKEN environment variable\n"
         "  projections             catch the app's projections up, then list each one's\n"
         "                          state, position, lag and failure\n"
         "  rebuild <projection>    rebuild a projection from the first event (a SQLite read\n"
         "                          model in a shadow file, swapped in when complete);\n"
         "                          progress on stderr\n"
         "  help                    print this text\n"
         "\n"
         "options:\n"
         "  --db STORE              the store: a SQLite file (default: " +
         name +
         ".db)\n"
         "                          or a PostgreSQL database, postgresql://user@host/db\n"
         "  --conflict-retries N    on a conflict (another process wrote the stream), re-read\n"
         "                          and run the command again, up to N times (at most " +
         std::to_string(cli::max_conflict_retries) +
         ")\n"
         "  --timeout-ms N          how long send, state and the demo wait for an answer\n"
         "                          before failing with timeout (at most " +
         std::to_string(cli::max_timeout_ms) +
         ")\n"
         "\n"
         "exit codes: 0 success, 1 other failure, 2 rejected, 3 conflict, 4 bad input,\n"
         "            5 store error (missing, a directory, not a store, newer schema, I/O),\n"
         "            6 not found (state of an aggregate that has no events)\n";
}

// The options `command` accepts; "events" also takes the event filter.
option_spec options_of(const std::string& command) {
  option_spec spec{{"db"}, {"help"}};
  spec.with_value.merge(cli::runtime_option_flags().with_value);
  if (command == "events") spec.with_value.merge(cli::event_filter_options().with_value);
  if (command == "serve") spec.with_value.merge(cli::serve_option_flags().with_value);
  return spec;
}

// One run of the command line: where results, errors and the store are.
struct app_session {
  const app_definition& app;
  std::string store_path;
  runtime_options options;  // the app's, with the command line's flags applied
  std::ostream& out;
  std::ostream& err;

  int fail(const error& failure) const {
    err << app.name << ": " << failure << '\n';
    return cli::exit_code_for(failure.kind);
  }

  int usage_error(const std::string& problem) const {
    err << app.name << ": " << problem << " (see '" << app.name << " help')\n";
    return cli::exit_bad_input;
  }

  // Opens the store: writable (created if missing) for commands, read-only for queries.
  result<std::shared_ptr<event_store>> open_store(bool writable) const {
    store_access access;
    access.create_if_missing = writable;
    access.read_only = !writable;
    return esk::open_store(store_path, access);
  }

  // Runs `body` on a runtime with the app's types registered, on the store. On a read-only
  // store the app's projections and process managers are registered but not started: a query
  // must not run their handlers, write their read models or checkpoints, or send commands.
  template <class Body>
  int with_runtime(bool writable, Body body) const {
    auto store = open_store(writable);
    if (!store) return fail(store.error_value());
    runtime_options run_options = options;
    if (!writable) run_options.start_projections = false;
    runtime rt{*store, run_options};
    if (app.register_types) app.register_types(rt);
    return body(rt);
  }
};

int run_send(const app_session& session, const std::string& json_command) {
  return session.with_runtime(true, [&](runtime& rt) {
    auto recorded = rt.execute_json(json_command);
    if (!recorded) return session.fail(recorded.error_value());
    for (const auto& event : *recorded) session.out << event << '\n';
    return int{cli::exit_success};
  });
}

int run_state(const app_session& session, const std::string& aggregate_type,
              const std::string& aggregate_id) {
  return session.with_runtime(false, [&](runtime& rt) {
    auto state = rt.versioned_state_json(aggregate_type, aggregate_id);
    if (!state) return session.fail(state.error_value());
    if (!state->exists()) {
      session.err << session.app.name << ": not found: " << aggregate_type << ' ' << aggregate_id
                  << " has no events\n";
      return int{cli::exit_not_found};
    }
    session.out << state->state << '\n';
    return int{cli::exit_success};
  });
}

// Lists the events in the current schema: upcast with the app's registered types
// (esk/upcasting.hpp); an event this build cannot read fails the listing with unknown_event.
int run_events(const app_session& session, const arguments& args) {
  auto filter = cli::event_filter_from(args);
  if (!filter) return session.usage_error(filter.error_value().message);
  return session.with_runtime(false, [&](runtime& rt) {
    const event_registry& events = rt.events();
    auto written = cli::write_events(
        rt.store(), *filter, session.out, {}, 1000,
        [&events](const recorded_event& stored) { return events.upcast(stored); });
    if (!written) return session.fail(written.error_value());
    return int{cli::exit_success};
  });
}

int run_serve(const app_session& session, const arguments& args) {
  auto options = cli::http_options_from(args);
  if (!options) return session.usage_error(options.error_value().message);
  return session.with_runtime(true, [&](runtime& rt) {
    auto served = cli::serve(rt, *options, session.out);
    if (!served) return session.fail(served.error_value());
    return int{cli::exit_success};
  });
}

int run_projections(const app_session& session) {
  return session.with_runtime(true, [&](runtime& rt) {
    auto listed = cli::write_projection_statuses(rt, session.out);
    if (!listed) return session.fail(listed.error_value());
    return int{cli::exit_success};
  });
}

int run_rebuild(const app_session& session, const std::string& projection) {
  return session.with_runtime(true, [&](runtime& rt) {
    auto rebuilt = cli::rebuild(rt, projection, session.out, session.err);
    if (!rebuilt) return session.fail(rebuilt.error_value());
    return int{cli::exit_success};
  });
}

int run_demo(const app_session& session) {
  if (!session.app.demo) return session.usage_error(session.app.name + " has no demo");
  return session.with_runtime(true, [&](runtime& rt) {
    session.out << "store: " << shown_location(session.store_path) << '\n';
    return session.app.demo(rt, session.out);
  });
}

// Parses the command line and runs the subcommand it names.
int dispatch(const app_definition& app, const std::vector<std::string>& args, std::ostream& out,
             std::ostream& err) {
  option_spec any_option = options_of("events");
  any_option.with_value.merge(cli::serve_option_flags().with_value);
  auto first_pass = arguments::parse(args, any_option);
  app_session session{app, app.name + ".db", app.runtime_options, out, err};
  if (!first_pass) return session.usage_error(first_pass.error_value().message);
  const auto& words = first_pass->positional();
  const std::string command = words.empty() ? "demo" : words.front();
  auto parsed = arguments::parse(args, options_of(command));
  if (!parsed) return session.usage_error(command + ": " + parsed.error_value().message);
  if (parsed->flag("help") || command == "help") {
    out << usage(app.name);
    return cli::exit_success;
  }
  session.store_path = parsed->value("db").value_or(session.store_path);
  auto options = cli::runtime_options_from(*parsed, app.runtime_options);
  if (!options) return session.usage_error(options.error_value().message);
  session.options = *options;
  const std::size_t count = words.size();
  if (command == "demo" && count <= 1) return run_demo(session);
  if (command == "send" && count == 2) return run_send(session, words[1]);
  if (command == "state" && count == 3) return run_state(session, words[1], words[2]);
  if (command == "events" && count == 1) return run_events(session, *parsed);
  if (command == "serve" && count == 1) return run_serve(session, *parsed);
  if (command == "projections" && count == 1) return run_projections(session);
  if (command == "rebuild" && count == 2) return run_rebuild(session, words[1]);
  if (command == "demo" || command == "send" || command == "state" || command == "events" ||
      command == "serve" || command == "projections" || command == "rebuild")
    return session.usage_error(command + ": wrong number of arguments");
  return session.usage_error("unknown command '" + command + "'");
}

}  // namespace

int run_app_cli(const app_definition& app, int argc, const char* const* argv, std::ostream& out,
                std::ostream& err) {
  try {
    return dispatch(app, cli::argument_list(argc, argv, 1), out, err);
  } catch (const std::exception& failure) {
    err << app.name << ": " << failure.what() << '\n';
    return cli::exit_failure;
  }
}

}  // namespace esk
