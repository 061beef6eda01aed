// esk/store/open_store.hpp — opens whichever store a location names: a PostgreSQL database
// for a postgresql:// (or postgres://) connection string, else a SQLite file at that path.
#pragma once

#include <memory>
#include <string>

#include "esk/result.hpp"
#include "esk/store/event_store.hpp"

namespace esk {

// What the caller will do with the store.
struct store_access {
  bool create_if_missing = true;  // create the file (or the tables) when missing
  bool read_only = false;         // only read; write nothing (and create nothing)
};

// Opens the store at `location`: open_postgres_store when is_postgres_location(location), else
// open_sqlite_store(location), with `access` applied. Errors: those of the backend chosen.
// Blocks while opening.
result<std::shared_ptr<event_store>> open_store(const std::string& location,
                                                const store_access& access = {});

// `location` as it may be shown to a user or written to a log: a PostgreSQL connection string
// with any password replaced by "***", a path unchanged. Never fails.
std::string shown_location(const std::string& location);

}  // namespace esk
