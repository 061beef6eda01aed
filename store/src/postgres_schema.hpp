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
// esk_append_events, esk_append_events_summarized or esk_append_one_event without this build's
// definition comment, or absent). Errors, each naming `described_as` once: incompatible_store
// "'<described_as>' holds an event store of schema version N; ..." for another schema version;
// store_unavailable "'<described_as>' holds no event store ..." when it is missing and
// !create_if_missing; on a failed statement, its kind and "cannot open the store in
// '<described_as>': <the statement's error>". Blocks.
status prepare_postgres_schema(postgres_connection& connection, const std::string& described_as,
                               bool create_if_missing, bool may_write);

}  // namespace esk
