// sqlite_schema.hpp — recognising an event-sourcing-kit SQLite file and creating its schema.
#pragma once

#include <cstdint>
#include <string>

#include "esk/result.hpp"
#include "sqlite_connection.hpp"

namespace esk {

// PRAGMA application_id of every event-sourcing-kit store: "ESK1" in ASCII.
inline constexpr std::int64_t sqlite_application_id = 0x45534B31;

// Makes sure the database behind the writable `connection` (opened on `path`) is an
// event-sourcing-kit store of a schema version this build understands, creating the schema
// in an empty database (a new or 0-byte file) and migrating an older schema to this build's
// (sqlite_store.hpp), then switches it to the WAL journal. Checking, creating and migrating are
// one transaction under the write lock, so any number of processes may open one new (or old)
// file at once: one creates (or migrates) the store, the others find it done. SQLITE_BUSY is
// waited out for up to `busy_timeout_ms`. A foreign file is left exactly as it was.
// Errors: incompatible_store when the file is not a SQLite database, belongs to another
// application or has a newer or unknown schema version; store_unavailable when SQLite fails
// otherwise (e.g. still locked after the timeout). Messages name `path`. Blocks.
status prepare_store_schema(sqlite_connection& connection, const std::string& path,
                            int busy_timeout_ms);

// Checks, without writing, that the database behind `connection` is an event-sourcing-kit
// store of a schema version this build understands, and returns that version (from
// sqlite_oldest_schema_version to sqlite_schema_version). Errors: incompatible_store as for
// prepare_store_schema, and for an empty database. Throws sqlite_failure when SQLite fails
// otherwise (the caller knows how the file was opened, and so what to tell). Blocks.
result<int> check_store_schema(sqlite_connection& connection, const std::string& path);

// The first schema version with the snapshots table.
inline constexpr int first_schema_version_with_snapshots = 2;

// The first schema version with the projection_checkpoints table.
inline constexpr int first_schema_version_with_checkpoints = 3;

// Sets what the writer connection needs on every open (these settings are not stored in the
// file): synchronous=FULL, so a commit is on disk before append returns. Throws sqlite_failure.
void configure_writer(sqlite_connection& writer);

}  // namespace esk
