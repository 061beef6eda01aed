#include "sqlite_schema.hpp"

#include <sqlite3.h>

#include <optional>

#include "esk/store/sqlite_store.hpp"

namespace esk {
namespace {

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

// What the file header and catalogue say about a database.
struct store_file_state {
  std::int64_t application_id;
  std::int64_t user_version;
  std::int64_t object_count;  // tables, indexes, views, triggers

  bool is_empty() const { return application_id == 0 && object_count == 0; }
};

store_file_state inspect(sqlite_connection& connection) {
  return {connection.query_int64("PRAGMA application_id"),
          connection.query_int64("PRAGMA user_version"),
          connection.query_int64("SELECT count(*) FROM sqlite_master")};
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
  if (state.user_version < sqlite_schema_version) {
    return incompatible(
        path, "has schema version " + version + ", which this build cannot migrate to " + ours);
  }
  return std::nullopt;
}

// Switches to WAL; the mode persists in the file, so later opens find it already set.
void use_write_ahead_log(sqlite_connection& connection) {
  std::string mode = connection.query_text("PRAGMA journal_mode=WAL");
  if (mode != "wal") {
    throw sqlite_failure(SQLITE_ERROR, "cannot switch to the WAL journal (mode is " + mode + ")");
  }
}

// Creates the schema unless another connection did so since we looked (two processes may
// open a new file at once; the write lock makes the second one see the first's schema).
status create_schema_if_empty(sqlite_connection& connection, const std::string& path) {
  sqlite_transaction transaction(connection);
  store_file_state state = inspect(connection);
  if (auto reason = incompatibility(state, path)) return *reason;
  if (state.is_empty()) {
    connection.execute(schema_tables);
    connection.execute("PRAGMA application_id=" + std::to_string(sqlite_application_id));
    connection.execute("PRAGMA user_version=" + std::to_string(sqlite_schema_version));
  }
  transaction.commit();
  return {};
}

}  // namespace

status prepare_store_schema(sqlite_connection& connection, const std::string& path, bool writable) {
  try {
    // Look before writing anything, so a foreign file is left exactly as it was.
    store_file_state state = inspect(connection);
    if (auto reason = incompatibility(state, path)) return *reason;
    if (!writable) {
      if (state.is_empty()) return incompatible(path, "is empty, not an event-sourcing-kit store");
      return {};
    }
    use_write_ahead_log(connection);
    return create_schema_if_empty(connection, path);
  } catch (const sqlite_failure& failure) {
    if (failure.code() == SQLITE_NOTADB) {
      return incompatible(path, "is not an event-sourcing-kit store (file is not a database)");
    }
    return error{error_kind::store_unavailable,
                 "cannot open store '" + path + "': " + failure.what()};
  }
}

void configure_writer(sqlite_connection& writer) {
  // No foreign_keys: it costs a streams lookup per inserted event, and the writer itself
  // creates the stream row before any of its events in the same transaction.
  writer.execute("PRAGMA synchronous=FULL");
}

}  // namespace esk
