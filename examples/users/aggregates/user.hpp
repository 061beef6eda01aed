// The User aggregate: its state, how events change it, and what commands decide.
#pragma once

#include <esk/esk.hpp>
#include <string>

#include "commands/user_commands.hpp"
#include "events/user_events.hpp"

namespace users {

struct User {
  bool exists = false;
  std::string user_id;
  std::string name;
  std::string email;
  int email_changes = 0;

  void apply(const UserCreated& event) {
    exists = true;
    user_id = event.user_id;
    name = event.name;
    email = event.email;
  }

  void apply(const UserEmailChanged& event) {
    email = event.email;
    ++email_changes;
  }

  esk::decision handle(const CreateUser& command) const {
    if (exists) return esk::reject("user_exists", "user " + command.user_id + " already exists");
    if (command.email.find('@') == std::string::npos)
      return esk::reject("invalid_email", "'" + command.email + "' is not an email address");
    return esk::emit(UserCreated{command.user_id, command.name, command.email});
  }

  esk::decision handle(const ChangeEmail& command) const {
    if (!exists) return esk::reject("unknown_user", "user " + command.user_id + " does not exist");
    if (command.email == email) return esk::reject("email_unchanged", "the email is unchanged");
    return esk::emit(UserEmailChanged{command.user_id, command.email});
  }
};
BOOST_DESCRIBE_STRUCT(User, (), (exists, user_id, name, email, email_changes))

// Registers User with its events and commands on `rt`; with `snapshots`, e.g.
// esk::snapshot_policy::every(1000), its state is saved as snapshots (default: none).
inline void register_user(esk::runtime& rt, esk::snapshot_policy snapshots = {}) {
  rt.aggregate<User>("User")
      .event<UserCreated>("UserCreated", esk::schema_version{2})
      .upcast("UserCreated", 1, upcast_user_created_v1)  // version 1 had no email
      .event<UserEmailChanged>("UserEmailChanged")
      .command<CreateUser>("CreateUser", &CreateUser::user_id)
      .command<ChangeEmail>("ChangeEmail", &ChangeEmail::user_id)
      .snapshots(snapshots);
}

}  // namespace users
