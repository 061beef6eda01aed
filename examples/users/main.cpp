// The users example on the standard command line (esk/app_cli.hpp): a User aggregate on the
// embedded SQLite store, with a projection indexing users by email.
//
//   users_example [--db FILE]                   the demo below (default store: users_example.db)
//   users_example serve --port 8080 --db FILE   the same runtime over HTTP (docs/HTTP.md)
//   users_example send '<json>' | state User 42 | events | help
//
// Run the demo twice on the same file: the second CreateUser is rejected.
#include <esk/app_cli.hpp>
#include <esk/esk.hpp>
#include <iostream>
#include <memory>

#include "aggregates/user.hpp"
#include "projections/users_by_email.hpp"

namespace {

int run_demo(esk::runtime& rt, const users::UsersByEmail& by_email, std::ostream& out) {
  auto created = rt.execute(users::CreateUser{"42", "Ada Lovelace", "ada@example.org"});
  if (created) {
    out << "CreateUser 42: accepted, recorded:\n";
    for (const auto& event : *created) out << "  " << event << '\n';
  } else {
    out << "CreateUser 42: " << created.error_value() << '\n';
  }

  // The same command as JSON, the way a server or the CLI sends it.
  auto again = rt.execute_json(
      R"({"type": "CreateUser", "payload": {"user_id": "42", "name": "Ada", "email": "a@b.c"}})");
  out << "CreateUser 42 again (JSON): "
      << (again ? std::string("accepted?!") : esk::to_string(again.kind()).data()) << " — "
      << (again ? "" : again.error_value().message) << '\n';

  auto state = rt.state_json("User", "42");
  if (!state) {
    std::cerr << "cannot read User 42: " << state.error_value() << '\n';
    return esk::cli::exit_code_for(state.kind());
  }
  out << "User 42 state: " << *state << '\n';

  if (auto synced = rt.sync_projections(); !synced) {
    std::cerr << "projection failed: " << synced.error_value() << '\n';
    return esk::cli::exit_code_for(synced.kind());
  }
  out << "users_by_email: ada@example.org -> "
      << by_email.find("ada@example.org").value_or("(none)") << " (" << by_email.size()
      << " users indexed)\n";

  // read_all returns one page (esk::default_read_limit events); a shorter page is the end.
  // The store's own read shows events as stored: UserCreated, at schema version 2, is
  // "UserCreated@v2" there (the runtime's reads upcast; rt.events().upcast(event) does it here).
  out << "the whole log, as stored:\n";
  for (std::uint64_t next_position = 1;;) {
    auto page = rt.store().read_all(next_position);
    if (!page) {
      std::cerr << "cannot read the log: " << page.error_value() << '\n';
      return esk::cli::exit_code_for(page.kind());
    }
    for (const auto& event : *page) out << "  " << event << '\n';
    if (page->size() < esk::default_read_limit) return esk::cli::exit_success;
    next_position = page->back().position + 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  esk::app_definition app;
  app.name = "users_example";
  // One runtime per run of the command line, so one projection object serves it.
  auto by_email = std::make_shared<users::UsersByEmail>();
  app.register_types = [by_email](esk::runtime& rt) {
    users::register_user(rt);
    rt.add_projection(by_email);
  };
  app.demo = [by_email](esk::runtime& rt, std::ostream& out) {
    return run_demo(rt, *by_email, out);
  };
  return esk::run_app_cli(app, argc, argv);
}
