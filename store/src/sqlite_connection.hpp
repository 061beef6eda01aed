// sqlite_connection.hpp — RAII ownership of a SQLite connection and its prepared statements.
// Internal to store/: failures are thrown as sqlite_failure and turned into esk::error values
// by the store at its public boundary.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace esk {

// A failed SQLite call: sqlite's primary result code and its error message.
class sqlite_failure : public std::runtime_error {
 public:
  sqlite_failure(int code, const std::string& message);

  // The SQLite result code (SQLITE_BUSY, SQLITE_NOTADB, ...).
  int code() const noexcept { return code_; }

 private:
  int code_;
};

// One prepared statement. Bind, step until it returns false, read columns. Use it inside a
// statement_reset scope so it never keeps a read transaction open after use.
class sqlite_statement {
 public:
  // Prepares `sql` on `db`. Throws sqlite_failure if it does not compile.
  sqlite_statement(sqlite3* db, std::string_view sql);

  // Bind parameter `index` (1-based). bind_optional_text binds NULL for an empty string.
  // REQUIRES: `text` stays alive and unchanged until the statement is reset (SQLite does not
  // copy it).
  void bind_int64(int index, std::int64_t value);
  void bind_text(int index, std::string_view text);
  void bind_optional_text(int index, std::string_view text);

  // Runs the statement one step: true when a row is ready, false when done.
  // Throws sqlite_failure on any error (busy, I/O, constraint, disk full).
  bool step();

  // Column `column` (0-based) of the current row. column_text reads NULL as "".
  std::int64_t column_int64(int column) const;
  std::string column_text(int column) const;

  // Column `column` (0-based) of the current row as text that SQLite owns, without a copy
  // (NULL reads as ""). Valid until the next step or reset.
  std::string_view column_view(int column) const;

  // Ends the current execution and clears bindings. Never fails.
  void reset() noexcept;

 private:
  struct finalizer {
    void operator()(sqlite3_stmt* statement) const noexcept;
  };
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, finalizer> statement_;
};

// Resets a statement when the scope ends, however it ends.
class statement_reset {
 public:
  explicit statement_reset(sqlite_statement& statement) : statement_(statement) {}
  ~statement_reset() { statement_.reset(); }
  statement_reset(const statement_reset&) = delete;
  statement_reset& operator=(const statement_reset&) = delete;

 private:
  sqlite_statement& statement_;
};

// An open connection to one database file. Not thread-safe: its owner serializes calls.
class sqlite_connection {
 public:
  // Opens `path` with sqlite3_open_v2 `flags` and sets the busy timeout.
  // Throws sqlite_failure when the file cannot be opened.
  sqlite_connection(const std::string& path, int flags, int busy_timeout_ms);

  // Runs one or more SQL statements that return no rows worth reading.
  // Throws sqlite_failure.
  void execute(const std::string& sql);

  // The statement for `sql`, prepared on first use and cached for the connection's life.
  // Throws sqlite_failure if it does not compile.
  sqlite_statement& statement(std::string_view sql);

  // Runs a query that returns one row and returns its first column (0 or "" without a row).
  // Throws sqlite_failure.
  std::int64_t query_int64(std::string_view sql);
  std::string query_text(std::string_view sql);

  // The rowid of the last row this connection inserted.
  std::int64_t last_insert_rowid() const noexcept;

  // The raw handle, for code that binds or reads values of any SQLite type itself
  // (sqlite_read_model). Owned by the connection.
  sqlite3* handle() const noexcept { return db_.get(); }

  // PRAGMA data_version: changes whenever another connection (of any process) commits to the
  // database, never for this connection's own commits. Throws sqlite_failure.
  std::int64_t data_version();

  // Syncs the write-ahead log to the disk (as a commit with synchronous=FULL would have), so
  // every commit made so far with synchronous=NORMAL survives a crash of the machine.
  // REQUIRES: the WAL journal, and no transaction open. Throws sqlite_failure.
  void sync_write_ahead_log();

 private:
  struct closer {
    void operator()(sqlite3* db) const noexcept;
  };
  // Declared before statements_ so the statements are finalized before the handle closes.
  std::unique_ptr<sqlite3, closer> db_;
  std::map<std::string, std::unique_ptr<sqlite_statement>, std::less<>> statements_;
};

// For its scope, the connection's commits do not wait for the disk: PRAGMA synchronous=NORMAL
// on construction (in WAL mode a commit then reaches the operating system, which keeps it when
// the process dies, but is not synced), synchronous=FULL again on destruction. REQUIRES: the
// connection was FULL (how the store's writer and read models run) and uses the WAL journal.
class without_sync {
 public:
  // Throws sqlite_failure.
  explicit without_sync(sqlite_connection& connection);
  ~without_sync();
  without_sync(const without_sync&) = delete;
  without_sync& operator=(const without_sync&) = delete;

 private:
  sqlite_connection& connection_;
};

// BEGIN IMMEDIATE on construction (takes the write lock, waiting up to the busy timeout);
// ROLLBACK on destruction unless commit() succeeded.
class sqlite_transaction {
 public:
  // Throws sqlite_failure if the write lock cannot be taken.
  explicit sqlite_transaction(sqlite_connection& connection);
  ~sqlite_transaction();
  sqlite_transaction(const sqlite_transaction&) = delete;
  sqlite_transaction& operator=(const sqlite_transaction&) = delete;

  // Commits. Throws sqlite_failure; the destructor then rolls back.
  void commit();

 private:
  sqlite_connection& connection_;
  bool committed_ = false;
};

}  // namespace esk
