#!/usr/bin/env bash
# What a lone PostgreSQL append costs the server, step by step (docs/BENCHMARKS.md, "PostgreSQL:
# what a lone append costs, step by step"). Times one transaction of each shape with pgbench
# (one client, prepared statements, one event in a new stream per transaction: the store's array
# function and its one-event function, each step alone, the transaction-ID design) and reads
# pg_stat_wal around each run: WAL records, full-page images, bytes, writes and syncs per
# transaction.
#
# usage: scripts/pg-lone-append-steps.sh USERS_EXAMPLE [ROUNDS] [SECONDS]
#   USERS_EXAMPLE  the built example app (build/examples/users/users_example); it creates a
#                  fresh store in schema esk_steps_store, whose append function is timed
#   ROUNDS         how many times each shape runs, alternating (default 2)
#   SECONDS        each run's length (default 3)
# The server comes from libpq's environment (PGHOST, PGPORT, PGUSER, PGDATABASE); the role needs
# CREATE on the database. Both scratch schemas, esk_steps and esk_steps_store, are dropped first
# and at the end. Run it on a quiet machine: the figures move with load and with the disk.
set -euo pipefail

example=${1:?usage: $0 USERS_EXAMPLE [ROUNDS] [SECONDS]}
rounds=${2:-2}
seconds=${3:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"; psql -qAtc "DROP SCHEMA IF EXISTS esk_steps, esk_steps_store CASCADE" >/dev/null 2>&1 || true' EXIT

sql() { psql -qAt -v ON_ERROR_STOP=1 "$@"; }
sql -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS esk_steps, esk_steps_store CASCADE"
sql -c "CREATE SCHEMA esk_steps_store"

# A fresh store, created by the kit itself (its tables and its append function).
url="postgresql://${PGUSER:-$USER}@${PGHOST:-127.0.0.1}:${PGPORT:-5432}/${PGDATABASE:-postgres}"
"$example" --db "$url?options=-csearch_path%3Desk_steps_store" \
  send '{"type":"CreateUser","payload":{"user_id":"steps-0","name":"Ada","email":"ada@example.com"}}' \
  >/dev/null

# The steps of the store's lone append, one more in each function (generic plans, as the store's
# own function), and the transaction-ID design for comparison.
sql <<'SQL'
CREATE SCHEMA esk_steps;
SET search_path = esk_steps;
CREATE SEQUENCE position_sequence START 1000000000000;
CREATE TABLE raw_events (position bigint PRIMARY KEY, stream text NOT NULL, version bigint NOT NULL,
  type text NOT NULL, payload text NOT NULL);
CREATE TABLE log_head (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  position bigint NOT NULL);
INSERT INTO log_head (position) VALUES (500000000000);
CREATE TABLE streams (stream text PRIMARY KEY, version bigint NOT NULL,
  last_position bigint NOT NULL) WITH (fillfactor = 50);
CREATE TABLE events (position bigint PRIMARY KEY, stream text NOT NULL, version bigint NOT NULL,
  type text NOT NULL, payload text NOT NULL, event_id text NOT NULL, command_id text NOT NULL,
  correlation_id text NOT NULL, causation_id text NOT NULL, recorded_at text NOT NULL,
  UNIQUE (stream, version));
CREATE TABLE xid_events (position bigint PRIMARY KEY DEFAULT nextval('position_sequence'),
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(), stream text NOT NULL,
  version bigint NOT NULL, type text NOT NULL, payload text NOT NULL, event_id text NOT NULL,
  command_id text NOT NULL, correlation_id text NOT NULL, causation_id text NOT NULL,
  recorded_at text NOT NULL, UNIQUE (stream, version));
CREATE INDEX ON xid_events (transaction_id, position);  -- what its readers follow

-- The event alone, its position from a sequence.
CREATE FUNCTION event_only(s text, p text) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan SET search_path = esk_steps AS $$
BEGIN
  INSERT INTO events VALUES (nextval('position_sequence'), s, 1, 'UserCreated', p, 'e' || s,
                             'c' || s, 'c' || s, 'c' || s, '2026-11-26T19:00:00.000Z');
END $$;
-- + the version check and the stream's row.
CREATE FUNCTION with_stream_row(s text, p text) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan SET search_path = esk_steps AS $$
DECLARE found bigint; at bigint;
BEGIN
  SELECT version INTO found FROM streams WHERE stream = s;
  at := nextval('position_sequence');
  INSERT INTO events VALUES (at, s, 1, 'UserCreated', p, 'e' || s, 'c' || s, 'c' || s, 'c' || s,
                             '2026-11-26T19:00:00.000Z');
  INSERT INTO streams VALUES (s, 1, at) ON CONFLICT (stream) DO UPDATE
    SET version = excluded.version, last_position = excluded.last_position;
END $$;
-- The event under the head row's lock, the head moved (no stream row).
CREATE FUNCTION with_head_row(s text, p text) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan SET search_path = esk_steps AS $$
DECLARE head bigint;
BEGIN
  SELECT position INTO head FROM log_head FOR UPDATE SKIP LOCKED;
  INSERT INTO events VALUES (head + 1, s, 1, 'UserCreated', p, 'e' || s, 'c' || s, 'c' || s,
                             'c' || s, '2026-11-26T19:00:00.000Z');
  UPDATE log_head SET position = head + 1;
END $$;
-- Both: the store's lone path, without its notification.
CREATE FUNCTION with_both(s text, p text) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan SET search_path = esk_steps AS $$
DECLARE head bigint; found bigint;
BEGIN
  SELECT position INTO head FROM log_head FOR UPDATE SKIP LOCKED;
  SELECT version INTO found FROM streams WHERE stream = s;
  INSERT INTO events VALUES (head + 1, s, 1, 'UserCreated', p, 'e' || s, 'c' || s, 'c' || s,
                             'c' || s, '2026-11-26T19:00:00.000Z');
  INSERT INTO streams VALUES (s, 1, head + 1) ON CONFLICT (stream) DO UPDATE
    SET version = excluded.version, last_position = excluded.last_position;
  UPDATE log_head SET position = head + 1;
END $$;
-- The least an append lock needs: an advisory lock, the head and the version read from the
-- events' own indexes, no head row and no stream row (positions kept apart from the others').
CREATE FUNCTION lock_floor(s text, p text) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan SET search_path = esk_steps AS $$
DECLARE head bigint; found bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(7283541093);
  SELECT max(position) INTO head FROM events WHERE position < 500000000000;
  SELECT max(version) INTO found FROM events WHERE stream = s;
  INSERT INTO events VALUES (coalesce(head, 0) + 1, s, coalesce(found, 0) + 1, 'UserCreated', p,
                             'e' || s, 'c' || s, 'c' || s, 'c' || s, '2026-11-26T19:00:00.000Z');
END $$;
SQL

payload='{"user_id":"1","name":"Ada","email":"ada@example.com"}'
script() {  # name, statement
  printf '\\set n random(1, 9000000000000000000)\n%s\n' "$2" >"$work/$1.sql"
}
script raw_insert "INSERT INTO esk_steps.raw_events VALUES (nextval('esk_steps.position_sequence'), 's-' || :n, 1, 'UserCreated', '$payload');"
script store_function "SELECT * FROM esk_steps_store.esk_append_events_summarized(ARRAY['s-' || :n], ARRAY[0::bigint], ARRAY[1::bigint], ARRAY[1], ARRAY[1::bigint], ARRAY['s-' || :n], ARRAY['UserCreated'], ARRAY['$payload'], ARRAY['e' || :n], ARRAY['c' || :n], ARRAY['c' || :n], ARRAY['c' || :n], ARRAY['2026-11-26T19:00:00.000Z']);"
script store_one_event "SELECT * FROM esk_steps_store.esk_append_one_event('s-' || :n, 0, 'UserCreated', '$payload', 'e' || :n, 'c' || :n, 'c' || :n, 'c' || :n, '2026-11-26T19:00:00.000Z');"
for step in event_only with_stream_row with_head_row with_both lock_floor; do
  script "$step" "SELECT esk_steps.$step('s-' || :n, '$payload');"
done
script transaction_id_design "WITH written AS (INSERT INTO esk_steps.xid_events (stream, version, type, payload, event_id, command_id, correlation_id, causation_id, recorded_at) SELECT 's-' || :n, 0 + 1, 'UserCreated', '$payload', 'e' || :n, 'c' || :n, 'c' || :n, 'c' || :n, '2026-11-26T19:00:00.000Z' WHERE 0 = 0 OR EXISTS (SELECT 1 FROM esk_steps.xid_events WHERE stream = 's-' || :n AND version = 0) RETURNING position) SELECT pg_notify('esk_steps', 'esk_steps ' || position) FROM written;"

wal() { sql -c "SELECT wal_records || ' ' || wal_fpi || ' ' || wal_bytes || ' ' || wal_write || ' ' || wal_sync FROM pg_stat_wal"; }
printf '%-22s %7s %9s %9s %7s %8s %8s %7s\n' shape tx 'ms/tx' records images bytes writes syncs
for ((round = 1; round <= rounds; ++round)); do
  for shape in raw_insert store_function store_one_event event_only with_stream_row with_head_row with_both \
    lock_floor transaction_id_design; do
    before=$(wal)
    # The store's functions resolve their tables by the search path, as the store sets it.
    out=$(PGOPTIONS="-c search_path=esk_steps_store" pgbench -n -M prepared -c 1 -T "$seconds" -f "$work/$shape.sql" 2>&1) || {
      echo "$shape: pgbench failed:" >&2
      echo "$out" >&2
      exit 1
    }
    after=$(wal)
    tx=$(awk '/number of transactions actually processed/ {print $NF}' <<<"$out")
    latency=$(awk '/latency average/ {print $4}' <<<"$out")
    read -r r0 f0 b0 w0 s0 <<<"$before"
    read -r r1 f1 b1 w1 s1 <<<"$after"
    awk -v shape="$shape" -v tx="$tx" -v latency="$latency" \
      -v r=$((r1 - r0)) -v f=$((f1 - f0)) -v b=$((b1 - b0)) -v w=$((w1 - w0)) -v s=$((s1 - s0)) \
      'BEGIN { printf "%-22s %7d %9.3f %9.1f %7.2f %8.0f %8.2f %7.2f\n", shape, tx, latency,
                      r / tx, f / tx, b / tx, w / tx, s / tx }'
  done
done
