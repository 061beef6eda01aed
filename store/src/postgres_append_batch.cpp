#include "postgres_append_batch.hpp"

#include <cstdint>

namespace esk {

// A batch in one statement, with a version check per request so that a conflict in one stream
// does not fail the others. Each request's events are placed after the log's head in request
// order; a conflict writes nothing and takes no position, so no savepoint is needed. The append
// lock (esk_log_head's row, held until the transaction ends) keeps positions in commit order
// (docs/ARCHITECTURE.md, PostgreSQL); it is tried without waiting first, so a wait (the gap wait)
// is known and timed. When no stream occurs twice (the store actor's usual batch) the versions
// are checked in one statement, each by a lookup in esk_streams' index (a correlated subquery,
// so the planner cannot choose a hash join that reads every stream of the store per batch);
// otherwise request after request, each seeing the ones before it.
// Then one INSERT of every accepted event, one upsert of every written stream, one update of
// the head, one announcement on channel esk_commits ("<schema> <last position>", delivered to
// listeners when the transaction commits, in commit order; postgres_commit_listener.hpp).
// Arrays are read by subscript only where the elements are fixed-width and never NULL (bigint,
// so a subscript is O(1)); text columns are unnested side by side.
const char* const create_append_events_function = R"sql(
CREATE OR REPLACE FUNCTION esk_append_events(
  request_streams text[], request_expected bigint[], request_counts bigint[],
  event_requests integer[], event_numbers bigint[], event_streams text[], event_types text[],
  event_payloads text[], event_ids text[], event_command_ids text[],
  event_correlation_ids text[], event_causation_ids text[], event_recorded_ats text[])
RETURNS TABLE (outcome text, stream_version bigint, first_position bigint, lock_wait_us bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  head bigint;
  new_head bigint;
  waited bigint;
  wait_started timestamptz;
  befores bigint[];  -- per request: the position before its first event, -1 for a conflict
  founds bigint[];   -- per request: the stream's version it found
  known jsonb;
  found_version bigint;
  request_stream text;
BEGIN
  SELECT h.position INTO head FROM esk_log_head h FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN
    wait_started := clock_timestamp();
    SELECT h.position INTO head FROM esk_log_head h FOR UPDATE;
    waited := (extract(epoch FROM clock_timestamp() - wait_started) * 1000000)::bigint;
  END IF;
  IF (SELECT count(DISTINCT s) = count(*) FROM unnest(request_streams) s) THEN
    SELECT array_agg(CASE WHEN c.found = c.expected THEN head + c.taken_before ELSE -1 END
                     ORDER BY c.n),
           array_agg(c.found ORDER BY c.n)
      INTO befores, founds
      FROM (SELECT v.n, v.expected, v.found,
                   coalesce(sum(CASE WHEN v.found = v.expected THEN v.event_count ELSE 0 END)
                              OVER (ORDER BY v.n ROWS BETWEEN UNBOUNDED PRECEDING
                                                          AND 1 PRECEDING), 0) AS taken_before
              FROM (SELECT u.n, u.expected, u.event_count,
                           coalesce((SELECT s.version FROM esk_streams s
                                      WHERE s.stream = u.stream), 0) AS found
                      FROM unnest(request_streams, request_expected, request_counts)
                             WITH ORDINALITY AS u(stream, expected, event_count, n)) v) c;
  ELSE
    known := '{}';
    befores := '{}';
    founds := '{}';
    new_head := head;
    FOR i IN 1 .. cardinality(request_streams) LOOP
      request_stream := request_streams[i];
      IF known ? request_stream THEN
        found_version := (known->>request_stream)::bigint;
      ELSE
        SELECT s.version INTO found_version FROM esk_streams s WHERE s.stream = request_stream;
        IF NOT FOUND THEN found_version := 0; END IF;
      END IF;
      founds := founds || found_version;
      IF found_version = request_expected[i] THEN
        befores := befores || new_head;
        new_head := new_head + request_counts[i];
        known := known || jsonb_build_object(request_stream, found_version + request_counts[i]);
      ELSE
        befores := befores || (-1)::bigint;
      END IF;
    END LOOP;
  END IF;
  INSERT INTO esk_events (position, stream, version, type, payload, event_id, command_id,
                          correlation_id, causation_id, recorded_at)
  SELECT befores[e.request] + e.number, e.stream, request_expected[e.request] + e.number,
         e.type, e.payload, e.event_id, e.command_id, e.correlation_id, e.causation_id,
         e.recorded_at
    FROM unnest(event_requests, event_numbers, event_streams, event_types, event_payloads,
                event_ids, event_command_ids, event_correlation_ids, event_causation_ids,
                event_recorded_ats)
           AS e(request, number, stream, type, payload, event_id, command_id, correlation_id,
                causation_id, recorded_at)
   WHERE befores[e.request] >= 0;
  INSERT INTO esk_streams AS s (stream, version, last_position)
  SELECT DISTINCT ON (p.stream) p.stream, p.expected + p.event_count, p.before + p.event_count
    FROM unnest(request_streams, request_expected, request_counts, befores)
           WITH ORDINALITY AS p(stream, expected, event_count, before, n)
   WHERE p.before >= 0
   ORDER BY p.stream, p.n DESC
  ON CONFLICT (stream) DO UPDATE
    SET version = excluded.version, last_position = excluded.last_position;
  SELECT max(x.before + x.event_count) INTO new_head
    FROM unnest(befores, request_counts) AS x(before, event_count) WHERE x.before >= 0;
  IF new_head IS NOT NULL THEN
    UPDATE esk_log_head SET position = new_head;
    PERFORM pg_notify('esk_commits', current_schema() || ' ' || new_head);
  END IF;
  RETURN QUERY
    SELECT CASE WHEN r.before >= 0 THEN 'ok' ELSE 'conflict' END,
           CASE WHEN r.before >= 0 THEN r.expected + r.event_count ELSE r.found END,
           CASE WHEN r.before >= 0 THEN r.before + 1 ELSE 0 END,
           waited
      FROM unnest(befores, founds, request_expected, request_counts)
             WITH ORDINALITY AS r(before, found, expected, event_count, n)
     ORDER BY r.n;
END
$$;
COMMENT ON FUNCTION esk_append_events(text[], bigint[], bigint[], integer[], bigint[], text[],
  text[], text[], text[], text[], text[], text[], text[]) IS 'esk append 3';
)sql";

const char* const append_events_definition = "esk append 3";

const char* const postgres_append_call::sql =
    "SELECT outcome, stream_version, first_position, lock_wait_us FROM esk_append_events("
    "$1::text[], $2::bigint[], $3::bigint[], $4::integer[], $5::bigint[], $6::text[], "
    "$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])";

namespace {

// Element types of PostgreSQL's binary array format (pg_type OIDs).
constexpr std::uint32_t int4_type = 23;
constexpr std::uint32_t int8_type = 20;
constexpr std::uint32_t text_type = 25;

void put(std::string& out, std::uint32_t value) {
  const char bytes[4] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
                         static_cast<char>(value >> 8), static_cast<char>(value)};
  out.append(bytes, 4);
}

void put(std::string& out, std::uint64_t value) {
  put(out, static_cast<std::uint32_t>(value >> 32));
  put(out, static_cast<std::uint32_t>(value));
}

// A one-dimensional array without NULLs, to be followed by `count` elements.
std::string array_of(std::uint32_t element_type, std::size_t count) {
  std::string out;
  put(out, std::uint32_t{1});  // dimensions
  put(out, std::uint32_t{0});  // no NULLs
  put(out, element_type);
  put(out, static_cast<std::uint32_t>(count));
  put(out, std::uint32_t{1});  // lower bound
  return out;
}

void put_element(std::string& array, std::uint32_t value) {
  put(array, std::uint32_t{4});
  put(array, value);
}

void put_element(std::string& array, std::uint64_t value) {
  put(array, std::uint32_t{8});
  put(array, value);
}

void put_element(std::string& array, const std::string& text) {
  put(array, static_cast<std::uint32_t>(text.size()));
  array.append(text);
}

}  // namespace

postgres_append_call append_call(const std::vector<append_request>& requests,
                                 const std::vector<bool>& send) {
  std::size_t request_count = 0;
  std::size_t event_count = 0;
  std::size_t event_bytes = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (!send[i]) continue;
    ++request_count;
    event_count += requests[i].events.size();
    for (const auto& event : requests[i].events) event_bytes += event.payload.size();
  }
  std::vector<std::string> arrays;
  arrays.push_back(array_of(text_type, request_count));
  arrays.push_back(array_of(int8_type, request_count));
  arrays.push_back(array_of(int8_type, request_count));
  arrays.push_back(array_of(int4_type, event_count));
  arrays.push_back(array_of(int8_type, event_count));
  for (int column = 0; column < 8; ++column) arrays.push_back(array_of(text_type, event_count));
  arrays[7].reserve(arrays[7].size() + event_bytes + 4 * event_count);
  std::uint32_t request_number = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (!send[i]) continue;
    const auto& request = requests[i];
    ++request_number;
    put_element(arrays[0], request.stream);
    put_element(arrays[1], request.expected_version);
    put_element(arrays[2], static_cast<std::uint64_t>(request.events.size()));
    std::uint64_t number = 0;
    for (const auto& event : request.events) {
      put_element(arrays[3], request_number);
      put_element(arrays[4], ++number);
      put_element(arrays[5], request.stream);
      put_element(arrays[6], event.type);
      put_element(arrays[7], event.payload);
      put_element(arrays[8], event.metadata.event_id);
      put_element(arrays[9], event.metadata.command_id);
      put_element(arrays[10], event.metadata.correlation_id);
      put_element(arrays[11], event.metadata.causation_id);
      put_element(arrays[12], event.metadata.recorded_at);
    }
  }
  return postgres_append_call{std::move(arrays)};
}

}  // namespace esk
