// user_commands.hpp — the users example's commands and events as benchmark load.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "esk/store/event_store.hpp"

namespace esk::bench {

// The aggregate ID of user number `index`: "u<index>".
std::string user_id(std::size_t index);

// The email of `user` after `changes` changes; each differs from the one before.
std::string user_email(const std::string& user, std::size_t changes);

// `count` events of stream "User-<user>" as the users example records them: UserCreated
// then UserEmailChanged, with metadata shaped like the runtime's (32-hex IDs, timestamp).
// `first` is the 0-based index of the first event within the stream.
std::vector<new_event> user_events(const std::string& user, std::size_t first, std::size_t count);

// Appends `count` such events to User-<user> (from version 0), at most 256 per transaction.
// Returns false on the first failed append.
bool write_user_stream(event_store& store, const std::string& user, std::size_t count);

}  // namespace esk::bench
