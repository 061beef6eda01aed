// postgres_schema.hpp — the tables and the append function of the PostgreSQL store, created
// (or checked) when a store opens. Internal to store/.
#pragma once

#include "esk/result.hpp"
#include "postgres_connection.hpp"

namespace esk {

// Creates the schema in the connection's first search_path schema if it is missing (when
// `create_if_missing`), under an advisory lock so that processes opening one new database at
// once create it exactly once; else checks that it is there. When `may_write`, replaces an
// append function of an earlier build (esk_append_batch without the lock_wait_us column;
// esk_append_events without this build's definition comment). Errors:
// incompatible_store for a newer schema version; store_unavailable when it is missing and
// !create_if_missing, or on a failed statement. Blocks.
status prepare_postgres_schema(postgres_connection& connection, const std::string& described_as,
                               bool create_if_missing, bool may_write);

}  // namespace esk
