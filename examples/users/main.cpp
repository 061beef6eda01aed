// The users example: create a user on the embedded SQLite store, print what was recorded and
// the user's state. Run it twice on the same file: the second CreateUser is rejected.
//
//   users_example [database-file]      (default: users.db in the current directory)
#include <esk/esk.hpp>
#include <iostream>
#include <memory>

#include "aggregates/user.hpp"
#include "projections/users_by_email.hpp"

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "users.db";
  auto store = esk::open_sqlite_store(path);
  if (!store) {
    std::cerr << "cannot open the store: " << store.error_value() << '\n';
    return 1;
  }
  esk::runtime rt{*store};
  users::register_user(rt);
  auto by_email = std::make_shared<users::UsersByEmail>();
  rt.add_projection(by_email);

  std::cout << "store: " << path << '\n';
  auto created = rt.execute(users::CreateUser{"42", "Ada Lovelace", "ada@example.org"});
  if (created) {
    std::cout << "CreateUser 42: accepted, recorded:\n";
    for (const auto& event : *created) std::cout << "  " << event << '\n';
  } else {
    std::cout << "CreateUser 42: " << created.error_value() << '\n';
  }

  // The same command as JSON, the way a server or the CLI sends it.
  auto again = rt.execute_json(
      R"({"type": "CreateUser", "payload": {"user_id": "42", "name": "Ada", "email": "a@b.c"}})");
  std::cout << "CreateUser 42 again (JSON): "
            << (again ? std::string("accepted?!") : esk::to_string(again.kind()).data()) << " — "
            << (again ? "" : again.error_value().message) << '\n';

  auto state = rt.state_json("User", "42");
  if (!state) {
    std::cerr << "cannot read User 42: " << state.error_value() << '\n';
    return 1;
  }
  std::cout << "User 42 state: " << *state << '\n';

  if (auto synced = rt.sync_projections(); !synced) {
    std::cerr << "projection failed: " << synced.error_value() << '\n';
    return 1;
  }
  std::cout << "users_by_email: ada@example.org -> "
            << by_email->find("ada@example.org").value_or("(none)") << " (" << by_email->size()
            << " users indexed)\n";

  // read_all returns one page (esk::default_read_limit events); a shorter page is the end.
  std::cout << "the whole log:\n";
  for (std::uint64_t next_position = 1;;) {
    auto page = rt.store().read_all(next_position);
    if (!page) {
      std::cerr << "cannot read the log: " << page.error_value() << '\n';
      return 1;
    }
    for (const auto& event : *page) std::cout << "  " << event << '\n';
    if (page->size() < esk::default_read_limit) return 0;
    next_position = page->back().position + 1;
  }
}
