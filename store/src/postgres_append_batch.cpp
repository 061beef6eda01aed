#include "postgres_append_batch.hpp"

#include <cstdint>

namespace esk {

// The previous build's append (it calls esk_append_events; this build calls
// esk_append_events_summarized below): the same batch with one row per request, in request order
// (outcome 'ok' with the stream's new version and the request's first position, or 'conflict'
// with the version found and position 0; the lock wait on every row). It is the summarized
// append, its answer spread over the requests: accepted requests take consecutive positions after
// the head in request order. Its definition comment stays 'esk append 3' (what it answers, not
// how), so the previous build keeps it rather than putting back its own equivalent body.
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
  old_head bigint;
  waited bigint;
  conflicts integer[];
  conflict_founds bigint[];
BEGIN
  SELECT max(s.head), max(s.lock_wait_us),
         array_agg(s.request ORDER BY s.request) FILTER (WHERE s.request > 0),
         array_agg(s.found_version ORDER BY s.request) FILTER (WHERE s.request > 0)
    INTO old_head, waited, conflicts, conflict_founds
    FROM esk_append_events_summarized(request_streams, request_expected, request_counts,
                                      event_requests, event_numbers, event_streams, event_types,
                                      event_payloads, event_ids, event_command_ids,
                                      event_correlation_ids, event_causation_ids,
                                      event_recorded_ats) AS s;
  RETURN QUERY
    SELECT CASE WHEN c.n IS NULL THEN 'ok' ELSE 'conflict' END,
           CASE WHEN c.n IS NULL THEN r.expected + r.event_count ELSE c.found END,
           CASE WHEN c.n IS NULL
                THEN old_head + 1 +
                     coalesce(sum(CASE WHEN c.n IS NULL THEN r.event_count ELSE 0 END)
                                OVER (ORDER BY r.n ROWS BETWEEN UNBOUNDED PRECEDING
                                                            AND 1 PRECEDING), 0)::bigint
                ELSE 0 END,
           waited
      FROM unnest(request_expected, request_counts) WITH ORDINALITY AS r(expected, event_count, n)
      LEFT JOIN unnest(conflicts, conflict_founds) AS c(n, found) ON c.n = r.n
     ORDER BY r.n;
END
$$;
COMMENT ON FUNCTION esk_append_events(text[], bigint[], bigint[], integer[], bigint[], text[],
  text[], text[], text[], text[], text[], text[], text[]) IS 'esk append 3';
)sql";

const char* const append_events_definition = "esk append 3";

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
//
// The answer takes as few rows as the outcome needs: accepted requests take consecutive positions
// after the head in request order, so the caller places every accepted request from the head alone.
// First row: request 0 (none), found_version NULL, the head the batch started from, lock_wait_us;
// then one row per conflict: its request's number (1-based) and the version found. A batch of 1,000
// accepted requests answers with one row instead of 1,000 (the rows cost the server a sort and a
// tuplestore and the client a result of ~30 heap blocks). When no stream occurs twice, the streams
// upsert needs no DISTINCT ON (a sort of the batch's stream names).
//
// A lone request takes a shorter path of the same steps: six statements instead of nine, about
// 60 us less per call (docs/BENCHMARKS.md).
//
// Its statements run on generic plans (plan_cache_mode): PL/pgSQL otherwise plans each
// statement afresh with the call's values for several calls and keeps doing so while the
// generic plan's estimate looks dearer, about 170 us of planning per call here, which is most of
// what a lone append costs the server beyond a plain INSERT (docs/BENCHMARKS.md). Every plan is
// fixed by design (index lookups by stream, inserts from unnest), so nothing is lost.
// Keep its parameters and result columns as they are: running processes hold the call prepared,
// and PostgreSQL refuses a prepared call whose result columns changed under it ("cached plan
// must not change result type") until the connection is closed. A new shape needs a new name.
const char* const create_append_summarized_function = R"sql(
CREATE OR REPLACE FUNCTION esk_append_events_summarized(
  request_streams text[], request_expected bigint[], request_counts bigint[],
  event_requests integer[], event_numbers bigint[], event_streams text[], event_types text[],
  event_payloads text[], event_ids text[], event_command_ids text[],
  event_correlation_ids text[], event_causation_ids text[], event_recorded_ats text[])
RETURNS TABLE (request integer, found_version bigint, head bigint, lock_wait_us bigint)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
DECLARE
  old_head bigint;
  new_head bigint;
  waited bigint;
  wait_started timestamptz;
  befores bigint[];  -- per request: the position before its first event, -1 for a conflict
  founds bigint[];   -- per request: the stream's version it found
  known jsonb;
  version_found bigint;
  request_stream text;
  distinct_streams boolean;
BEGIN
  SELECT h.position INTO old_head FROM esk_log_head h FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN
    wait_started := clock_timestamp();
    SELECT h.position INTO old_head FROM esk_log_head h FOR UPDATE;
    waited := (extract(epoch FROM clock_timestamp() - wait_started) * 1000000)::bigint;
  END IF;
  IF cardinality(request_streams) = 1 THEN
    -- A lone request (a quiet store's every append): the same steps in fewer statements.
    SELECT s.version INTO version_found FROM esk_streams s WHERE s.stream = request_streams[1];
    IF NOT FOUND THEN version_found := 0; END IF;
    request := 0; found_version := NULL; head := old_head; lock_wait_us := waited;
    RETURN NEXT;
    IF version_found <> request_expected[1] THEN
      request := 1; found_version := version_found; head := NULL; lock_wait_us := NULL;
      RETURN NEXT;
      RETURN;
    END IF;
    INSERT INTO esk_events (position, stream, version, type, payload, event_id, command_id,
                            correlation_id, causation_id, recorded_at)
    SELECT old_head + e.number, e.stream, request_expected[1] + e.number, e.type, e.payload,
           e.event_id, e.command_id, e.correlation_id, e.causation_id, e.recorded_at
      FROM unnest(event_numbers, event_streams, event_types, event_payloads, event_ids,
                  event_command_ids, event_correlation_ids, event_causation_ids,
                  event_recorded_ats)
             AS e(number, stream, type, payload, event_id, command_id, correlation_id,
                  causation_id, recorded_at);
    new_head := old_head + request_counts[1];
    INSERT INTO esk_streams AS s (stream, version, last_position)
    VALUES (request_streams[1], request_expected[1] + request_counts[1], new_head)
    ON CONFLICT (stream) DO UPDATE
      SET version = excluded.version, last_position = excluded.last_position;
    UPDATE esk_log_head SET position = new_head;
    PERFORM pg_notify('esk_commits', current_schema() || ' ' || new_head);
    RETURN;
  END IF;
  distinct_streams := (SELECT count(DISTINCT s) = count(*) FROM unnest(request_streams) s);
  IF distinct_streams THEN
    SELECT array_agg(CASE WHEN c.found = c.expected THEN old_head + c.taken_before ELSE -1 END
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
    new_head := old_head;
    FOR i IN 1 .. cardinality(request_streams) LOOP
      request_stream := request_streams[i];
      IF known ? request_stream THEN
        version_found := (known->>request_stream)::bigint;
      ELSE
        SELECT s.version INTO version_found FROM esk_streams s WHERE s.stream = request_stream;
        IF NOT FOUND THEN version_found := 0; END IF;
      END IF;
      founds := founds || version_found;
      IF version_found = request_expected[i] THEN
        befores := befores || new_head;
        new_head := new_head + request_counts[i];
        known := known || jsonb_build_object(request_stream, version_found + request_counts[i]);
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
  IF distinct_streams THEN
    INSERT INTO esk_streams AS s (stream, version, last_position)
    SELECT p.stream, p.expected + p.event_count, p.before + p.event_count
      FROM unnest(request_streams, request_expected, request_counts, befores)
             AS p(stream, expected, event_count, before)
     WHERE p.before >= 0
    ON CONFLICT (stream) DO UPDATE
      SET version = excluded.version, last_position = excluded.last_position;
  ELSE
    INSERT INTO esk_streams AS s (stream, version, last_position)
    SELECT DISTINCT ON (p.stream) p.stream, p.expected + p.event_count, p.before + p.event_count
      FROM unnest(request_streams, request_expected, request_counts, befores)
             WITH ORDINALITY AS p(stream, expected, event_count, before, n)
     WHERE p.before >= 0
     ORDER BY p.stream, p.n DESC
    ON CONFLICT (stream) DO UPDATE
      SET version = excluded.version, last_position = excluded.last_position;
  END IF;
  SELECT max(x.before + x.event_count) INTO new_head
    FROM unnest(befores, request_counts) AS x(before, event_count) WHERE x.before >= 0;
  IF new_head IS NOT NULL THEN
    UPDATE esk_log_head SET position = new_head;
    PERFORM pg_notify('esk_commits', current_schema() || ' ' || new_head);
  END IF;
  request := 0; found_version := NULL; head := old_head; lock_wait_us := waited;
  RETURN NEXT;
  RETURN QUERY
    SELECT r.n::integer, r.found, NULL::bigint, NULL::bigint
      FROM unnest(befores, founds) WITH ORDINALITY AS r(before, found, n)
     WHERE r.before < 0
     ORDER BY r.n;
END
$$;
COMMENT ON FUNCTION esk_append_events_summarized(text[], bigint[], bigint[], integer[], bigint[],
  text[], text[], text[], text[], text[], text[], text[], text[]) IS 'esk append summarized 3';
)sql";

const char* const append_summarized_definition = "esk append summarized 3";

const std::string postgres_append_call::sql =
    "SELECT request, found_version, head, lock_wait_us FROM esk_append_events_summarized("
    "$1::text[], $2::bigint[], $3::bigint[], $4::integer[], $5::bigint[], $6::text[], "
    "$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])";

namespace {

// Element types of PostgreSQL's binary array format (pg_type OIDs).
constexpr std::uint32_t int4_type = 23;
constexpr std::uint32_t int8_type = 20;
constexpr std::uint32_t text_type = 25;
constexpr std::size_t array_header_bytes = 20;  // dimensions, flags, type, length, lower bound

// Writes big-endian numbers and arrays into a buffer sized in advance, so that a batch's
// thirteen arrays cost no reallocation.
class array_writer {
 public:
  explicit array_writer(std::string& buffer) : buffer_(buffer) {}

  // Starts a one-dimensional array without NULLs of `count` elements; returns its offset.
  std::size_t begin(std::uint32_t element_type, std::size_t count) {
    const std::size_t offset = buffer_.size();
    put(std::uint32_t{1});  // dimensions
    put(std::uint32_t{0});  // no NULLs
    put(element_type);
    put(static_cast<std::uint32_t>(count));
    put(std::uint32_t{1});  // lower bound
    return offset;
  }
  void element(std::uint32_t value) {
    put(std::uint32_t{4});
    put(value);
  }
  void element(std::uint64_t value) {
    put(std::uint32_t{8});
    put(static_cast<std::uint32_t>(value >> 32));
    put(static_cast<std::uint32_t>(value));
  }
  void element(const std::string& text) {
    put(static_cast<std::uint32_t>(text.size()));
    buffer_.append(text);
  }

 private:
  void put(std::uint32_t value) {
    const char bytes[4] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
                           static_cast<char>(value >> 8), static_cast<char>(value)};
    buffer_.append(bytes, 4);
  }
  std::string& buffer_;
};

}  // namespace

void append_call(const std::vector<append_request>& requests, const std::vector<bool>& send,
                 postgres_append_call& call) {
  std::size_t request_count = 0;
  std::size_t event_count = 0;
  std::size_t bytes = 13 * array_header_bytes;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (!send[i]) continue;
    const auto& request = requests[i];
    ++request_count;
    event_count += request.events.size();
    bytes += 4 + request.stream.size() + 2 * 12;
    for (const auto& event : request.events) {
      const auto& metadata = event.metadata;
      bytes += 8 + 12 + 8 * 4 + request.stream.size() + event.type.size() + event.payload.size() +
               metadata.event_id.size() + metadata.command_id.size() +
               metadata.correlation_id.size() + metadata.causation_id.size() +
               metadata.recorded_at.size();
    }
  }
  std::string& buffer = call.buffer;
  buffer.clear();
  buffer.reserve(bytes);
  array_writer out{buffer};
  std::size_t starts[13];
  // Column by column, each array whole before the next (the binary format needs that).
  auto per_request = [&](int column, std::uint32_t type, auto&& write) {
    starts[column] = out.begin(type, request_count);
    for (std::size_t i = 0; i < requests.size(); ++i)
      if (send[i]) write(requests[i]);
  };
  auto per_event = [&](int column, std::uint32_t type, auto&& write) {
    starts[column] = out.begin(type, event_count);
    std::uint32_t request_number = 0;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      if (!send[i]) continue;
      ++request_number;
      std::uint64_t number = 0;
      for (const auto& event : requests[i].events)
        write(requests[i], request_number, ++number, event);
    }
  };
  per_request(0, text_type, [&](const append_request& r) { out.element(r.stream); });
  per_request(1, int8_type, [&](const append_request& r) { out.element(r.expected_version); });
  per_request(2, int8_type, [&](const append_request& r) {
    out.element(static_cast<std::uint64_t>(r.events.size()));
  });
  per_event(3, int4_type, [&](auto&, std::uint32_t n, std::uint64_t, auto&) { out.element(n); });
  per_event(4, int8_type, [&](auto&, std::uint32_t, std::uint64_t k, auto&) { out.element(k); });
  per_event(5, text_type, [&](const append_request& r, std::uint32_t, std::uint64_t, auto&) {
    out.element(r.stream);
  });
  per_event(6, text_type,
            [&](auto&, std::uint32_t, std::uint64_t, const new_event& e) { out.element(e.type); });
  per_event(7, text_type, [&](auto&, std::uint32_t, std::uint64_t, const new_event& e) {
    out.element(e.payload);
  });
  per_event(8, text_type, [&](auto&, std::uint32_t, std::uint64_t, const new_event& e) {
    out.element(e.metadata.event_id);
  });
  per_event(9, text_type, [&](auto&, std::uint32_t, std::uint64_t, const new_event& e) {
    out.element(e.metadata.command_id);
  });
  per_event(10, text_type, [&](auto&, std::uint32_t, std::uint64_t, const new_event& e) {
    out.element(e.metadata.correlation_id);
  });
  per_event(11, text_type, [&](auto&, std::uint32_t, std::uint64_t, const new_event& e) {
    out.element(e.metadata.causation_id);
  });
  per_event(12, text_type, [&](auto&, std::uint32_t, std::uint64_t, const new_event& e) {
    out.element(e.metadata.recorded_at);
  });
  call.parameters.clear();
  for (int column = 0; column < 13; ++column) {
    const std::size_t end = column == 12 ? buffer.size() : starts[column + 1];
    call.parameters.emplace_back(buffer.data() + starts[column], end - starts[column]);
  }
}

}  // namespace esk
