// esk/store/postgres_commit_listener.hpp — a commit_listener on a PostgreSQL store
// (LISTEN/NOTIFY).
#pragma once

#include <memory>
#include <string>

#include "esk/result.hpp"
#include "esk/store/commit_listener.hpp"

namespace esk {

// Opens a listener, on a connection of its own, for the commits of the store
// `connection_string` opens with open_postgres_store: every append batch that wrote events
// announces the store's new last position when it commits (the notification is sent inside the
// append's transaction, so it is delivered only if the append commits, in commit order).
// Errors: store_unavailable when the server cannot be reached or refuses LISTEN. Messages
// never show a password. Blocks while connecting.
result<std::unique_ptr<commit_listener>> listen_for_postgres_commits(
    const std::string& connection_string);

}  // namespace esk
