// A read model kept in SQLite: table emails(user_id, email), one row per user, updated with
// its checkpoint in one transaction (exactly-once effect, rebuilt in a shadow file).
#pragma once

#include <esk/esk.hpp>
#include <string>

#include "events/user_events.hpp"

namespace users {

// The projection "emails": inserts a row per UserCreated, updates it per UserEmailChanged.
// Its handlers write through event_context::sql(), so it needs email_table_options.
inline esk::typed_projection email_table() {
  esk::typed_projection emails("emails");
  emails.on<UserCreated>([](const UserCreated& created, const esk::event_context& at) {
    at.sql().execute("INSERT INTO emails (user_id, email) VALUES (?1, ?2)",
                     {created.user_id, created.email});
  });
  emails.on<UserEmailChanged>([](const UserEmailChanged& changed, const esk::event_context& at) {
    at.sql().execute("UPDATE emails SET email = ?2 WHERE user_id = ?1",
                     {changed.user_id, changed.email});
  });
  return emails;
}

// Keeps email_table's rows and checkpoint in the SQLite file at `path` (created if missing).
inline esk::projection_options email_table_options(const std::string& path) {
  esk::projection_options options;
  options.checkpoints = esk::checkpoint_location::in_sqlite(
      path, "CREATE TABLE IF NOT EXISTS emails (user_id TEXT PRIMARY KEY, email TEXT)");
  return options;
}

}  // namespace users
