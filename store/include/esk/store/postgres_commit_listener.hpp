// esk/store/postgres_commit_listener.hpp — learn promptly that any process committed events to
// a PostgreSQL store (LISTEN/NOTIFY), instead of polling it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "esk/result.hpp"

namespace esk {

// A connection that listens for the commits of one PostgreSQL store (the one the same
// connection string opens with open_postgres_store): every append batch that wrote events
// announces the store's new last position when it commits. Not thread-safe: one thread waits.
class postgres_commit_listener {
 public:
  virtual ~postgres_commit_listener() = default;

  // Waits up to `timeout` for commits by any process (this one included) since the previous
  // call (or since the listener opened) and returns the highest last position announced, or
  // nullopt when none came in time. Announcements are hints: read the store from your own
  // position to get the events (a notification is never the only way an event arrives).
  // Errors: store_unavailable when the connection broke (open a new listener). Blocks.
  virtual result<std::optional<std::uint64_t>> wait_for_commits(
      std::chrono::milliseconds timeout) = 0;
};

// Opens a listener on the store `connection_string` names. Errors: store_unavailable when the
// server cannot be reached or refuses LISTEN. Messages never show a password. Blocks.
result<std::unique_ptr<postgres_commit_listener>> listen_for_postgres_commits(
    const std::string& connection_string);

}  // namespace esk
