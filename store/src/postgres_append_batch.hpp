// postgres_append_batch.hpp — a group commit's one round trip on PostgreSQL: the server
// function esk_append_events and the arguments a batch of append requests becomes, as
// binary-format arrays (one array per column, so neither side builds or parses JSON).
// Internal to store/.
#pragma once

#include <string>
#include <vector>

#include "esk/store/recorded_event.hpp"

namespace esk {

// CREATE OR REPLACE FUNCTION esk_append_events(...): see postgres_append_batch.cpp.
extern const char* const create_append_events_function;

// The comment the current definition of esk_append_events carries; a function without it
// (an earlier build's) is replaced when a store opens for writing.
extern const char* const append_events_definition;

// The call of esk_append_events: its SQL (thirteen binary parameters) and the parameters for the
// requests of `requests` marked in `send`. Its rows, one per sent request in order: outcome
// ('ok' or 'conflict'), stream_version (the new version, or the version found), first_position
// (of the request's first event; 0 for a conflict) and lock_wait_us (the wait for the append
// lock, NULL when it was free). REQUIRES: every sent request has a stream and events.
struct postgres_append_call {
  static const char* const sql;
  std::vector<std::string> parameters;  // binary format, in the order of sql's $n
};
postgres_append_call append_call(const std::vector<append_request>& requests,
                                 const std::vector<bool>& send);

}  // namespace esk
