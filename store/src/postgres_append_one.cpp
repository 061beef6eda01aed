#include "postgres_append_one.hpp"

namespace esk {

// The lone path of esk_append_events_summarized (postgres_append_batch.cpp) for one event, its
// arguments scalars instead of thirteen one-element arrays: the same statements in the same order
// with the same outcome. The append lock first (esk_log_head's row, held until the transaction
// ends, so positions follow commit order: docs/ARCHITECTURE.md, PostgreSQL), tried without
// waiting, so a wait (the gap wait) is known and timed; then the stream's version, a conflict
// writing nothing and taking no position; else the event at head + 1, the stream's upsert, the
// head moved and announced on esk_commits ("<schema> <position>", delivered at commit). One row
// of OUT parameters rather than a table, so no tuplestore. Statements on generic plans, as the
// array functions' (planned once per connection; every plan is an index lookup or a one-row
// insert). Earlier builds never call it; both take the same head row lock, so they mix.
// Keep its parameters and OUT columns as they are: running processes hold the call prepared, and
// PostgreSQL refuses a prepared call whose result columns changed under it ("cached plan must
// not change result type") until the connection is closed. A new shape needs a new name.
const char* const create_append_one_function = R"sql(
CREATE OR REPLACE FUNCTION esk_append_one_event(
  stream_name text, expected_version bigint, event_type text, event_payload text,
  metadata_event_id text, metadata_command_id text, metadata_correlation_id text,
  metadata_causation_id text, metadata_recorded_at text,
  OUT found_version bigint, OUT head bigint, OUT lock_wait_us bigint)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  wait_started timestamptz;
  version_found bigint;
BEGIN
  SELECT h.position INTO head FROM esk_log_head h FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN
    wait_started := clock_timestamp();
    SELECT h.position INTO head FROM esk_log_head h FOR UPDATE;
    lock_wait_us := (extract(epoch FROM clock_timestamp() - wait_started) * 1000000)::bigint;
  END IF;
  SELECT s.version INTO version_found FROM esk_streams s WHERE s.stream = stream_name;
  IF NOT FOUND THEN version_found := 0; END IF;
  IF version_found <> expected_version THEN
    found_version := version_found;
    RETURN;
  END IF;
  INSERT INTO esk_events (position, stream, version, type, payload, event_id, command_id,
                          correlation_id, causation_id, recorded_at)
  VALUES (head + 1, stream_name, expected_version + 1, event_type, event_payload,
          metadata_event_id, metadata_command_id, metadata_correlation_id, metadata_causation_id,
          metadata_recorded_at);
  INSERT INTO esk_streams AS s (stream, version, last_position)
  VALUES (stream_name, expected_version + 1, head + 1)
  ON CONFLICT (stream) DO UPDATE
    SET version = excluded.version, last_position = excluded.last_position;
  UPDATE esk_log_head SET position = head + 1;
  PERFORM pg_notify('esk_commits', current_schema() || ' ' || (head + 1));
END
$$;
COMMENT ON FUNCTION esk_append_one_event(text, bigint, text, text, text, text, text, text, text)
  IS 'esk append one 1';
)sql";

const char* const append_one_definition = "esk append one 1";

const char* const append_one_arguments = "text, bigint, text, text, text, text, text, text, text";

const std::string postgres_append_one_call::sql =
    "SELECT found_version, head, lock_wait_us FROM esk_append_one_event("
    "$1::text, $2::bigint, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text)";

void append_one_call(const append_request& request, postgres_append_one_call& call) {
  const auto& event = request.events.front();
  const auto& metadata = event.metadata;
  for (int byte = 0; byte < 8; ++byte)
    call.expected_version[byte] = static_cast<char>(request.expected_version >> (56 - 8 * byte));
  // A text parameter's binary format is its bytes.
  call.parameters.assign({request.stream,
                          {call.expected_version, sizeof call.expected_version},
                          event.type,
                          event.payload,
                          metadata.event_id,
                          metadata.command_id,
                          metadata.correlation_id,
                          metadata.causation_id,
                          metadata.recorded_at});
}

}  // namespace esk
