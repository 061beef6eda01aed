#include "postgres_schema.hpp"

#include "esk/store/postgres_store.hpp"
#include "postgres_append_batch.hpp"
#include "postgres_append_one.hpp"

namespace esk {
namespace {

// The tables. Positions come from esk_log_head, a one-row counter: the append function locks
// that row first and holds it until its transaction ends, so appends commit one at a time in
// position order, and a reader that sees position P+1 committed sees every position up to it
// (docs/ARCHITECTURE.md, PostgreSQL). Payloads are text, not jsonb, so they read back
// byte for byte. esk_streams' pages are filled half, so that the update of a stream's version
// finds room on its own page (a heap-only update: no new entry in the stream index); a store
// created by an earlier build with full pages gets the setting when this build first opens it
// for writing (leave_room_on_streams_pages), for the pages written from then on.
constexpr const char* create_tables = R"sql(
CREATE TABLE IF NOT EXISTS esk_schema (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  version integer NOT NULL);
CREATE TABLE IF NOT EXISTS esk_log_head (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  position bigint NOT NULL);
INSERT INTO esk_log_head (position) VALUES (0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS esk_streams (
  stream text PRIMARY KEY,
  version bigint NOT NULL,
  last_position bigint NOT NULL) WITH (fillfactor = 50);
CREATE TABLE IF NOT EXISTS esk_events (
  position bigint PRIMARY KEY,
  stream text NOT NULL,
  version bigint NOT NULL,
  type text NOT NULL,
  payload text NOT NULL,
  event_id text NOT NULL,
  command_id text NOT NULL,
  correlation_id text NOT NULL,
  causation_id text NOT NULL,
  recorded_at text NOT NULL,
  UNIQUE (stream, version));
CREATE TABLE IF NOT EXISTS esk_snapshots (
  stream text PRIMARY KEY,
  version bigint NOT NULL,
  schema_version integer NOT NULL,
  state text NOT NULL,
  taken_at text NOT NULL);
CREATE TABLE IF NOT EXISTS esk_checkpoints (
  projection text PRIMARY KEY,
  position bigint NOT NULL);
)sql";

// The append function of earlier builds (this one calls esk_append_events,
// postgres_append_batch.cpp), kept so that they can go on writing to a store this build
// created. Group commit in one round trip: applies each request of a JSON array
// [{"stream":..,"expected":..,"events":[{"type":..,"payload":..,"event_id":..,...}]}] in order
// and returns one row per request: 'ok' with the stream's new version and the first position,
// or 'conflict' with the version found; each row also carries lock_wait_us, how long the batch
// waited for the append lock (the gap wait), or NULL when it found the lock free. A conflict writes
// nothing and takes no position, so no savepoint is needed: the version is checked before anything
// is written. When no stream occurs twice in the batch (the store actor's usual batch), the
// requests are independent and the function applies them set-based, in four statements whatever the
// batch's size; otherwise one request after the other. A batch that wrote events announces the new
// last position on channel esk_commits ("<schema> <position>"), delivered to listeners when (and
// only if) it commits, in commit order (postgres_commit_listener.hpp).
constexpr const char* create_append_function = R"sql(
CREATE OR REPLACE FUNCTION esk_append_batch(requests jsonb)
RETURNS TABLE (outcome text, stream_version bigint, first_position bigint, lock_wait_us bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  head bigint;
  request jsonb;
  request_stream text;
  expected bigint;
  found_version bigint;
  event_count bigint;
  old_head bigint;
  waited bigint;
  wait_started timestamptz;
BEGIN
  -- The append lock: taken before any stream is read, so no two appends interleave. Tried
  -- without waiting first, so a wait (another append holds it) is known and timed.
  SELECT h.position INTO head FROM esk_log_head h FOR UPDATE SKIP LOCKED;
  IF NOT FOUND THEN
    wait_started := clock_timestamp();
    SELECT h.position INTO head FROM esk_log_head h FOR UPDATE;
    waited := (extract(epoch FROM clock_timestamp() - wait_started) * 1000000)::bigint;
  END IF;
  old_head := head;
  IF (SELECT count(*) = count(DISTINCT value->>'stream') FROM jsonb_array_elements(requests)) THEN
    RETURN QUERY
    WITH batch AS (
      SELECT t.n AS request_index, t.value->>'stream' AS stream,
             (t.value->>'expected')::bigint AS expected,
             jsonb_array_length(t.value->'events')::bigint AS event_count, t.value->'events' AS events
      FROM jsonb_array_elements(requests) WITH ORDINALITY AS t(value, n)),
    checked AS (
      SELECT b.*, coalesce(s.version, 0) AS found,
             CASE WHEN coalesce(s.version, 0) = b.expected THEN b.event_count ELSE 0 END AS taken
      FROM batch b LEFT JOIN esk_streams s ON s.stream = b.stream),
    placed AS (
      SELECT c.*, (head + sum(c.taken) OVER (ORDER BY c.request_index) - c.taken)::bigint AS before
      FROM checked c),
    written AS (
      INSERT INTO esk_events (position, stream, version, type, payload, event_id, command_id,
                              correlation_id, causation_id, recorded_at)
      SELECT p.before + e.n, p.stream, p.expected + e.n, e.value->>'type', e.value->>'payload',
             e.value->>'event_id', e.value->>'command_id', e.value->>'correlation_id',
             e.value->>'causation_id', e.value->>'recorded_at'
      FROM placed p, jsonb_array_elements(p.events) WITH ORDINALITY AS e(value, n)
      WHERE p.taken > 0),
    versioned AS (
      INSERT INTO esk_streams AS s (stream, version, last_position)
      SELECT p.stream, p.expected + p.taken, p.before + p.taken FROM placed p WHERE p.taken > 0
      ON CONFLICT (stream) DO UPDATE
        SET version = excluded.version, last_position = excluded.last_position)
    SELECT CASE WHEN p.taken > 0 THEN 'ok' ELSE 'conflict' END,
           CASE WHEN p.taken > 0 THEN p.expected + p.taken ELSE p.found END,
           CASE WHEN p.taken > 0 THEN p.before + 1 ELSE 0 END,
           waited
    FROM placed p ORDER BY p.request_index;
    UPDATE esk_log_head h
      SET position = coalesce((SELECT max(e.position) FROM esk_events e), 0)
      RETURNING h.position INTO head;
    IF head > old_head THEN PERFORM pg_notify('esk_commits', current_schema() || ' ' || head); END IF;
    RETURN;
  END IF;
  FOR request IN SELECT value FROM jsonb_array_elements(requests) LOOP
    request_stream := request->>'stream';
    expected := (request->>'expected')::bigint;
    SELECT s.version INTO found_version FROM esk_streams s WHERE s.stream = request_stream;
    IF NOT FOUND THEN found_version := 0; END IF;
    IF found_version <> expected THEN
      outcome := 'conflict'; stream_version := found_version; first_position := 0;
      lock_wait_us := waited;
    ELSE
      INSERT INTO esk_events (position, stream, version, type, payload, event_id, command_id,
                              correlation_id, causation_id, recorded_at)
      SELECT head + e.n, request_stream, expected + e.n, e.value->>'type', e.value->>'payload',
             e.value->>'event_id', e.value->>'command_id', e.value->>'correlation_id',
             e.value->>'causation_id', e.value->>'recorded_at'
      FROM jsonb_array_elements(request->'events') WITH ORDINALITY AS e(value, n);
      GET DIAGNOSTICS event_count = ROW_COUNT;
      INSERT INTO esk_streams AS s (stream, version, last_position)
      VALUES (request_stream, expected + event_count, head + event_count)
      ON CONFLICT (stream) DO UPDATE
        SET version = excluded.version, last_position = excluded.last_position;
      outcome := 'ok'; stream_version := expected + event_count; first_position := head + 1;
      lock_wait_us := waited;
      head := head + event_count;
    END IF;
    RETURN NEXT;
  END LOOP;
  UPDATE esk_log_head SET position = head;
  IF head > old_head THEN PERFORM pg_notify('esk_commits', current_schema() || ' ' || head); END IF;
END
$$;
)sql";

// Any constant both processes agree on: serializes schema creation across processes.
constexpr const char* schema_lock = "SELECT pg_advisory_xact_lock(7283541092)";

// The failed statement's error, naming the store `described_as` it was to open (the server's
// reason does not say where).
status refuse(const std::string& described_as, const result<postgres_rows>& failed) {
  const error& why = failed.error_value();
  return error{why.kind, "cannot open the store in '" + described_as + "': " + why.message};
}

// Runs `statements` in one transaction under the schema lock; errors name `described_as`.
status run_locked(postgres_connection& connection, const std::string& described_as,
                  std::initializer_list<const char*> statements) {
  auto begun = connection.run("BEGIN");
  if (!begun) return refuse(described_as, begun);
  auto locked = connection.run(schema_lock);
  if (!locked) {
    (void)connection.run("ROLLBACK");  // the error above is what matters
    return refuse(described_as, locked);
  }
  for (const char* statement : statements) {
    auto done = connection.run(statement);
    if (!done) {
      (void)connection.run("ROLLBACK");  // the error above is what matters
      return refuse(described_as, done);
    }
  }
  auto committed = connection.run("COMMIT");
  if (!committed) {
    (void)connection.run("ROLLBACK");  // the error above is what matters
    return refuse(described_as, committed);
  }
  return {};
}

// A store created by an earlier build of schema version 1 has the append function without its
// lock_wait_us column: replaced (under the schema lock, so one process replaces it). The
// tables are unchanged, and earlier builds name the columns they read, so they work on with it.
status upgrade_append_function(postgres_connection& connection, const std::string& described_as) {
  auto current = connection.run(
      "SELECT coalesce('lock_wait_us' = ANY(proargnames), false) FROM pg_proc"
      " WHERE oid = to_regprocedure('esk_append_batch(jsonb)')");
  if (!current) return refuse(described_as, current);
  if (current->count() == 1 && current->text(0, 0) == "t") return {};
  return run_locked(connection, described_as,
                    {"DROP FUNCTION IF EXISTS esk_append_batch(jsonb)", create_append_function});
}

// The function `signature` (its name and parameters' types), created or replaced unless it
// carries the definition comment `definition` (under the schema lock, so one process replaces
// it).
status upgrade_commented_function(postgres_connection& connection, const std::string& described_as,
                                  const std::string& signature, const char* definition,
                                  const char* create) {
  auto current =
      connection.run("SELECT obj_description(to_regprocedure('" + signature + "'), 'pg_proc')");
  if (!current) return refuse(described_as, current);
  if (current->count() == 1 && current->text(0, 0) == definition) return {};
  // Dropped first: CREATE OR REPLACE cannot rename an earlier definition's parameters.
  const std::string drop = "DROP FUNCTION IF EXISTS " + signature;
  return run_locked(connection, described_as, {drop.c_str(), create});
}

// The array append function `name` (thirteen arrays), as upgrade_commented_function.
status upgrade_array_append_function(postgres_connection& connection,
                                     const std::string& described_as, const std::string& name,
                                     const char* definition, const char* create) {
  return upgrade_commented_function(
      connection, described_as,
      name +
          "(text[], bigint[], bigint[], integer[], bigint[], text[], text[], text[], text[],"
          " text[], text[], text[], text[])",
      definition, create);
}

// esk_streams' pages filled half, as create_tables makes them, on a store an earlier build
// created with full pages: set once, under the schema lock. It applies to the pages written from
// then on; the ALTER TABLE takes a lock that blocks neither reads nor appends.
status leave_room_on_streams_pages(postgres_connection& connection,
                                   const std::string& described_as) {
  auto current = connection.run(
      "SELECT coalesce('fillfactor=50' = ANY(reloptions), false) FROM pg_class"
      " WHERE oid = 'esk_streams'::regclass");
  if (!current) return refuse(described_as, current);
  if (current->count() == 1 && current->text(0, 0) == "t") return {};
  return run_locked(connection, described_as, {"ALTER TABLE esk_streams SET (fillfactor = 50)"});
}

}  // namespace

status prepare_postgres_schema(postgres_connection& connection, const std::string& described_as,
                               bool create_if_missing, bool may_write) {
  auto exists = connection.run("SELECT to_regclass('esk_schema') IS NOT NULL");
  if (!exists) return refuse(described_as, exists);
  if (exists->text(0, 0) != "t") {
    if (!create_if_missing) {
      return error{error_kind::store_unavailable,
                   "'" + described_as + "' holds no event store (and was not to be created)"};
    }
    auto begun = connection.run("BEGIN");
    if (!begun) return refuse(described_as, begun);
    for (const char* statement :
         {schema_lock, create_tables, create_append_function, create_append_events_function,
          create_append_summarized_function, create_append_one_function}) {
      auto done = connection.run(statement);
      if (!done) {
        (void)connection.run("ROLLBACK");  // the error above is what matters
        return refuse(described_as, done);
      }
    }
    auto versioned =
        connection.run("INSERT INTO esk_schema (version) VALUES ($1) ON CONFLICT DO NOTHING",
                       {std::to_string(postgres_schema_version)});
    auto committed = versioned ? connection.run("COMMIT") : std::move(versioned);
    if (!committed) {
      (void)connection.run("ROLLBACK");  // the error above is what matters
      return refuse(described_as, committed);
    }
  }
  auto version = connection.run("SELECT version FROM esk_schema");
  if (!version) return refuse(described_as, version);
  const auto found = version->count() == 0 ? 0 : version->number(0, 0);
  if (found != postgres_schema_version) {
    return error{error_kind::incompatible_store,
                 "'" + described_as + "' holds an event store of schema version " +
                     std::to_string(found) + "; this build understands version " +
                     std::to_string(postgres_schema_version)};
  }
  if (!may_write) return {};
  auto upgraded = upgrade_append_function(connection, described_as);
  if (!upgraded) return upgraded;
  // esk_append_events: the previous build's append, kept for it; this build calls
  // esk_append_events_summarized.
  upgraded = upgrade_array_append_function(connection, described_as, "esk_append_events",
                                           append_events_definition, create_append_events_function);
  if (!upgraded) return upgraded;
  upgraded = leave_room_on_streams_pages(connection, described_as);
  if (!upgraded) return upgraded;
  upgraded = upgrade_array_append_function(connection, described_as, "esk_append_events_summarized",
                                           append_summarized_definition,
                                           create_append_summarized_function);
  if (!upgraded) return upgraded;
  // A lone one-event append's function, absent from a store an earlier build created.
  return upgrade_commented_function(
      connection, described_as, std::string("esk_append_one_event(") + append_one_arguments + ")",
      append_one_definition, create_append_one_function);
}

}  // namespace esk
