// sqlite_schema.hpp — recognising an event-sourcing-kit SQLite file and creating its schema.
#pragma once

#include <cstdint>
#include <string>

#include "esk/result.hpp"
#include "sqlite_connection.hpp"

namespace esk {

// PRAGMA application_id of every event-sourcing-kit store: "ESK1" in ASCII.
inline constexpr std::int64_t sqlite_application_id = 0x45534B31;

// Makes sure the database behind `connection` (opened on `path`) is an event-sourcing-kit
// store of a schema version this build understands. When `writable`, also switches it to the
// WAL journal and creates the schema in an empty database, in one transaction.
// Errors: incompatible_store when the file is not a SQLite database, belongs to another
// application, has a newer or unknown schema version, or is empty and !writable;
// store_unavailable when SQLite fails otherwise. Messages name `path`. Blocks.
status prepare_store_schema(sqlite_connection& connection, const std::string& path, bool writable);

// Sets what the writer connection needs on every open (these settings are not stored in the
// file): synchronous=FULL, so a commit is on disk before append returns. Throws sqlite_failure.
void configure_writer(sqlite_connection& writer);

}  // namespace esk
