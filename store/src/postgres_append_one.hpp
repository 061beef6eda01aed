// postgres_append_one.hpp — a lone one-event append on PostgreSQL (a quiet store's every
// append): the server function esk_append_one_event, which takes the event as scalar parameters
// instead of the thirteen arrays of esk_append_events_summarized (postgres_append_batch.hpp), and
// the call's parameters. Internal to store/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "esk/store/recorded_event.hpp"

namespace esk {

// CREATE OR REPLACE FUNCTION esk_append_one_event(...) and its definition COMMENT (see
// postgres_append_one.cpp).
extern const char* const create_append_one_function;

// The comment the current definition of esk_append_one_event carries; a store whose function
// lacks it (absent: a store an earlier build created) gets this build's when it opens for writing.
extern const char* const append_one_definition;

// esk_append_one_event's parameter types, as pg_proc names its signature.
extern const char* const append_one_arguments;

// The call of esk_append_one_event for one request of one event: its SQL (nine binary
// parameters, prepared once per connection) and the parameters, the texts as views into the
// request's strings (so the request must outlive the call). Its one row: (found_version, head,
// lock_wait_us): found_version NULL when the event was appended at position head + 1, else the
// version the stream was found at (a conflict: nothing written, no position taken); head is the
// log's head before the call; lock_wait_us the wait for the append lock, NULL when it was free.
struct postgres_append_one_call {
  static const std::string sql;
  char expected_version[8];                  // big-endian, as the binary bigint format wants
  std::vector<std::string_view> parameters;  // binary format, in the order of sql's $n
};

// Fills `call` for `request`. REQUIRES: request has a stream and exactly one event.
void append_one_call(const append_request& request, postgres_append_one_call& call);

}  // namespace esk
