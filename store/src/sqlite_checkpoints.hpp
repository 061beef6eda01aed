// sqlite_checkpoints.hpp — the projection_checkpoints table: how far each projection has
// applied the log, in the events' file (event_store::save_checkpoint) or in a SQLite read
// model's file (sqlite_read_model), where it commits with the read model's rows.
#pragma once

#include <cstdint>
#include <string>

#include "sqlite_connection.hpp"

namespace esk {

// Creates the table if the database lacks it (schema version 3 of a store; every read model).
inline constexpr const char* checkpoints_table_sql = R"sql(
CREATE TABLE IF NOT EXISTS projection_checkpoints(
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL
);
)sql";

// Saves `position` as the checkpoint of `projection` through `connection`, inside the caller's
// transaction if one is open. REQUIRES: the table exists; the caller serializes use of
// `connection`. Throws sqlite_failure.
void write_checkpoint_row(sqlite_connection& connection, const std::string& projection,
                          std::uint64_t position);

// The checkpoint of `projection`, 0 when it has none. REQUIRES: as write_checkpoint_row.
// Throws sqlite_failure.
std::uint64_t read_checkpoint_row(sqlite_connection& connection, const std::string& projection);

// As read_checkpoint_row, for a database that may lack the table (a store of schema version 2
// opened read-only, which is never migrated): 0 when the table does not exist.
std::uint64_t read_checkpoint_row_if_kept(sqlite_connection& connection,
                                          const std::string& projection);

}  // namespace esk
