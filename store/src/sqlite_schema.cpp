#include "sqlite_schema.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string_view>
#include <thread>

#include "esk/store/sqlite_store.hpp"
#include "sqlite_checkpoints.hpp"

namespace esk {
namespace {

// The longest pause between two attempts to get past SQLITE_BUSY while opening.
constexpr std::chrono::milliseconds max_busy_pause{50};

constexpr const char* schema_tables = R"sql(
CREATE TABLE streams(
  stream_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL
);
CREATE TABLE events(
  position INTEGER PRIMARY KEY,
  stream_id INTEGER NOT NULL REFERENCES streams(stream_id),
  version INTEGER NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  event_id TEXT NOT NULL,
  command_id TEXT,
  correlation_id TEXT,
  causation_id TEXT,
  recorded_at TEXT NOT NULL,
  UNIQUE(stream_id, version)
);
)sql";

// Schema version 2: the last snapshot written per stream (event_store::write_snapshot).
constexpr const char* snapshots_table = R"sql(
CREATE TABLE IF NOT EXISTS snapshots(
  stream TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  schema_version INTEGER NOT NULL,
  state TEXT NOT NULL,
  taken_at TEXT NOT NULL
);
)sql";

// What the file header and catalogue say about a database.
struct store_file_state {
  std::int64_t application_id;
  std::int64_t user_version;
  std::int64_t object_count;  // tables, indexes, views, triggers

  bool is_empty() const { return application_id == 0 && object_count == 0; }
};

// One statement, so one read transaction: the three values come from the same committed
// state. (Read one by one, another process's schema creation could commit in between, and a
// new store would look like a database with tables but no application_id: a foreign one.)
constexpr std::string_view inspect_sql =
    "SELECT (SELECT application_id FROM pragma_application_id),"
    " (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_master)";

store_file_state inspect(sqlite_connection& connection) {
  sqlite_statement& query = connection.statement(inspect_sql);
  statement_reset reset(query);
  if (!query.step()) throw sqlite_failure(SQLITE_ERROR, "cannot read the database header");
  return {query.column_int64(0), query.column_int64(1), query.column_int64(2)};
}

error incompatible(const std::string& path, const std::string& reason) {
  return error{error_kind::incompatible_store, "'" + path + "' " + reason};
}

// The reason `state` cannot be used by this build; nullopt for our schema or an empty file.
std::optional<error> incompatibility(const store_file_state& state, const std::string& path) {
  if (state.is_empty()) return std::nullopt;
  if (state.application_id != sqlite_application_id) {
    return incompatible(path, "is a SQLite database of another application");
  }
  const std::string version = std::to_string(state.user_version);
  const std::string ours = std::to_string(sqlite_schema_version);
  if (state.user_version > sqlite_schema_version) {
    return incompatible(path, "has schema version " + version + ", newer than this build's " +
                                  ours + "; upgrade event-sourcing-kit");
  }
  if (state.user_version < sqlite_oldest_schema_version) {
    return incompatible(
        path, "has schema version " + version + ", which this build cannot migrate to " + ours);
  }
  return std::nullopt;
}

// Creates the schema in an empty database, or migrates an older one, having checked under the
// write lock (BEGIN IMMEDIATE) what the file holds: when several processes open a new file at
// once, exactly one creates the schema and the others wait for the lock and then find it
// complete. A foreign file is only looked at, never written.
status create_schema_if_empty(sqlite_connection& connection, const std::string& path) {
  sqlite_transaction transaction(connection);
  store_file_state state = inspect(connection);
  if (auto reason = incompatibility(state, path)) return *reason;
  if (state.is_empty()) {
    connection.execute(schema_tables);
    connection.execute(snapshots_table);
    connection.execute(checkpoints_table_sql);
    connection.execute("PRAGMA application_id=" + std::to_string(sqlite_application_id));
    connection.execute("PRAGMA user_version=" + std::to_string(sqlite_schema_version));
  } else if (state.user_version < sqlite_schema_version) {
    // Each version only added tables, all created IF NOT EXISTS: version 2 the snapshots,
    // version 3 the projection checkpoints.
    connection.execute(snapshots_table);
    connection.execute(checkpoints_table_sql);
    connection.execute("PRAGMA user_version=" + std::to_string(sqlite_schema_version));
  }
  transaction.commit();
  return {};
}

// Switches to WAL; the mode persists in the file, so later opens find it already set. Done
// after the schema exists, outside a transaction (SQLite cannot switch inside one).
void use_write_ahead_log(sqlite_connection& connection) {
  std::string mode = connection.query_text("PRAGMA journal_mode=WAL");
  if (mode != "wal") {
    throw sqlite_failure(SQLITE_ERROR, "cannot switch to the WAL journal (mode is " + mode + ")");
  }
}

// Runs `attempt` again while it fails with SQLITE_BUSY, for up to `busy_timeout_ms`. The busy
// timeout covers most waits for the lock, but not all: SQLite returns SQLITE_BUSY at once
// where waiting could deadlock (e.g. a shared lock wanting to grow while another process
// switches the file to WAL) or while another process recovers the WAL index. Starting over
// from no lock at all resolves these.
template <class Attempt>
status retry_while_busy(int busy_timeout_ms, Attempt attempt) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(busy_timeout_ms, 0));
  for (auto pause = std::chrono::milliseconds(1);; pause = std::min(pause * 2, max_busy_pause)) {
    try {
      return attempt();
    } catch (const sqlite_failure& failure) {
      if (failure.code() != SQLITE_BUSY || std::chrono::steady_clock::now() + pause > deadline)
        throw;
    }
    std::this_thread::sleep_for(pause);
  }
}

status as_status(const sqlite_failure& failure, const std::string& path) {
  if (failure.code() == SQLITE_NOTADB) {
    return incompatible(path, "is not an event-sourcing-kit store (file is not a database)");
  }
  return error{error_kind::store_unavailable,
               "cannot open store '" + path + "': " + failure.what()};
}

}  // namespace

status prepare_store_schema(sqlite_connection& connection, const std::string& path,
                            int busy_timeout_ms) {
  try {
    return retry_while_busy(busy_timeout_ms, [&]() -> status {
      if (status created = create_schema_if_empty(connection, path); !created) return created;
      use_write_ahead_log(connection);
      return {};
    });
  } catch (const sqlite_failure& failure) {
    return as_status(failure, path);
  }
}

result<int> check_store_schema(sqlite_connection& connection, const std::string& path) {
  try {
    store_file_state state = inspect(connection);
    if (auto reason = incompatibility(state, path)) return *reason;
    if (state.is_empty()) return incompatible(path, "is empty, not an event-sourcing-kit store");
    return static_cast<int>(state.user_version);
  } catch (const sqlite_failure& failure) {
    if (failure.code() == SQLITE_NOTADB) return as_status(failure, path).error_value();
    throw;
  }
}

void configure_writer(sqlite_connection& writer) {
  // No foreign_keys: it costs a streams lookup per inserted event, and the writer itself
  // creates the stream row before any of its events in the same transaction.
  writer.execute("PRAGMA synchronous=FULL");
}

}  // namespace esk
