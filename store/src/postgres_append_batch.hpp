// postgres_append_batch.hpp — a group commit's one round trip on PostgreSQL: the server
// function esk_append_events_summarized and the arguments a batch of append requests becomes, as
// binary-format arrays (one array per column, so neither side builds or parses JSON).
// Internal to store/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "esk/store/recorded_event.hpp"

namespace esk {

// CREATE OR REPLACE FUNCTION esk_append_events(...), the previous build's append, kept for it:
// the summarized append with one answer row per request (see postgres_append_batch.cpp).
extern const char* const create_append_events_function;

// The comment the current definition of esk_append_events carries; a function without it
// (an earlier build's) is replaced when a store opens for writing.
extern const char* const append_events_definition;

// CREATE OR REPLACE FUNCTION esk_append_events_summarized(...), this build's append function:
// esk_append_events' arguments and batch, answered with the head and the conflicts only (see
// postgres_append_batch.cpp).
extern const char* const create_append_summarized_function;

// The comment the current definition of esk_append_events_summarized carries.
extern const char* const append_summarized_definition;

// The call of esk_append_events_summarized: its SQL (thirteen binary parameters, prepared once
// per connection) and the parameters for the requests of `requests` marked in `send`, as views
// into one buffer. Its rows: first (0, NULL, head, lock_wait_us): the log's head before the
// batch and the wait for the append lock (NULL when it was free); then per conflicting request,
// in order, (its number among the sent requests, 1-based; the version found, NULL, NULL). The
// accepted requests took consecutive positions after the head, in request order.
struct postgres_append_call {
  static const std::string sql;
  std::string buffer;                        // the thirteen arrays, one after the other
  std::vector<std::string_view> parameters;  // binary format, in the order of sql's $n
};

// Fills `call` (reusing its buffer) for the requests of `requests` marked in `send`.
// REQUIRES: every sent request has a stream and events.
void append_call(const std::vector<append_request>& requests, const std::vector<bool>& send,
                 postgres_append_call& call);

}  // namespace esk
