// @APP_NAME@: an event-sourced application on event-sourcing-kit.
//
//   @APP_NAME@                      run the demo below (run it twice: the second is rejected)
//   @APP_NAME@ send '<json>'        send a command, print the recorded events
//   @APP_NAME@ state User 42        print a user's state as JSON (exit 6: no such user)
//   @APP_NAME@ events               print every recorded event as a JSON line
//   @APP_NAME@ serve --port 8080    serve it over HTTP until Ctrl-C or SIGTERM (POST /commands,
//                                   GET /aggregates/User/42, /events, /events/live, /health, ...)
//   @APP_NAME@ help                 all commands, options (--db FILE, --conflict-retries N,
//                                   --timeout-ms N) and exit codes
#include <esk/app_cli.hpp>
#include <esk/esk.hpp>
#include <iostream>

#include "aggregates/user.hpp"

// The demo: create user 42, print what was recorded and the state. On a second run the
// store already holds user 42, so CreateUser is rejected and the state is unchanged.
int run_demo(esk::runtime& rt, std::ostream& out) {
  auto created = rt.execute(users::CreateUser{"42", "Ada Lovelace", "ada@example.org"});
  if (created) {
    out << "CreateUser 42: accepted, recorded:\n";
    for (const auto& event : *created) out << event << '\n';
  } else if (created.kind() == esk::error_kind::rejected) {
    out << "CreateUser 42: " << created.error_value() << '\n';
  } else {
    std::cerr << "CreateUser 42 failed: " << created.error_value() << '\n';
    return esk::cli::exit_code_for(created.kind());
  }

  auto state = rt.state_json("User", "42");
  if (!state) {
    std::cerr << "cannot read User 42: " << state.error_value() << '\n';
    return esk::cli::exit_code_for(state.kind());
  }
  out << "User 42: " << *state << '\n';
  return esk::cli::exit_success;
}

int main(int argc, char** argv) {
  esk::app_definition app;
  app.name = "@APP_NAME@";
  app.register_types = [](esk::runtime& rt) { users::register_user(rt); };
  app.demo = run_demo;
  // When another process wrote a user's stream meanwhile, re-read it and decide again (up to
  // 3 times) instead of failing with conflict: safe because User's handlers decide from the
  // state and the command alone. `--conflict-retries N` overrides it for one run.
  app.runtime_options.conflict_retries = 3;
  return esk::run_app_cli(app, argc, argv);
}
