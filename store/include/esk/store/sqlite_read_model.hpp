// esk/store/sqlite_read_model.hpp — a projection's read model kept in a SQLite file, whose rows
// and checkpoint change in one transaction, and plain SQL reads of such a file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "esk/result.hpp"

namespace esk {

// One SQL value: NULL, an integer, a real or a text.
using sql_value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

// One row of a query's result, its columns in order.
using sql_row = std::vector<sql_value>;

// SQL access to a read model inside the transaction that will also save its projection's
// checkpoint: what a projection handler gets from event_context::sql().
class sql_transaction {
 public:
  virtual ~sql_transaction() = default;

  // Runs one statement with ?1, ?2, ... bound to `parameters` in order and returns the rows it
  // yields (none for INSERT, UPDATE, DELETE, CREATE). Statements are prepared once and reused.
  // Throws std::runtime_error naming the statement and SQLite's reason when it fails: inside a
  // handler that fails the event like any exception, so a failed statement is never committed
  // as applied (an error value could be ignored by mistake). Blocks.
  virtual std::vector<sql_row> execute(std::string_view sql,
                                       const std::vector<sql_value>& parameters = {}) = 0;
};

// The SQLite file of a read model (its own file, or the events' file): a connection that writes
// the read model's rows and its projections' checkpoints (table projection_checkpoints) in one
// transaction, so after a crash the rows reflect exactly the events up to the checkpoint. The
// runtime's projection actor owns one per SQLite projection; not thread-safe.
class sqlite_read_model {
 public:
  // Opens (creating if missing) the SQLite file at `path`: WAL journal, synchronous=NORMAL
  // (commit and sync make commits durable, commit_unsynced does not),
  // projection_checkpoints created if missing, then runs `schema` (any number of statements,
  // e.g. "CREATE TABLE IF NOT EXISTS ..."; empty = none). To share the events' file, open the
  // event store first (it must create that file's schema). Errors: store_unavailable naming
  // `path` and, for a failed `schema`, the reason. Blocks.
  static result<std::unique_ptr<sqlite_read_model>> open(const std::string& path,
                                                         const std::string& schema = {},
                                                         int busy_timeout_ms = 5000);

  virtual ~sqlite_read_model() = default;

  // The checkpoint `projection` committed last (0 when none). REQUIRES: no transaction open.
  // Errors: store_unavailable. Blocks.
  virtual result<std::uint64_t> checkpoint(const std::string& projection) = 0;

  // Opens the write transaction (BEGIN IMMEDIATE: waits for the file's write lock up to the busy
  // timeout). REQUIRES: none open. Errors: store_unavailable. Blocks.
  virtual status begin() = 0;

  // The open transaction, for handlers. REQUIRES: begin() succeeded.
  virtual sql_transaction& transaction() = 0;

  // Runs `apply` in a savepoint: when it throws, what it did through transaction() is undone
  // (the rest of the transaction stays) and the exception propagates. REQUIRES: begin()
  // succeeded.
  virtual void apply_undoable(const std::function<void()>& apply) = 0;

  // Saves `position` as `projection`'s checkpoint and commits everything since begin(), durably
  // (commit_unsynced, then sync). REQUIRES: begin() succeeded. Errors: store_unavailable; when
  // the commit failed everything since begin() is rolled back, when only the sync failed the
  // message says so and the commit stays (the checkpoint is `position`). Blocks.
  virtual status commit(const std::string& projection, std::uint64_t position) = 0;

  // As commit, without waiting for the disk: a crash of the process keeps the commit, a crash
  // of the machine may undo it, rows and checkpoint together (never one without the other), so
  // the events after the earlier checkpoint are applied again, once. For a batch in the middle
  // of a catch-up, before anyone is told it is applied. REQUIRES: begin() succeeded. Errors:
  // store_unavailable, everything since begin() rolled back. Blocks.
  virtual status commit_unsynced(const std::string& projection, std::uint64_t position) = 0;

  // Makes every commit so far durable (syncs the write-ahead log). REQUIRES: no transaction
  // open. Errors: store_unavailable (the commits stay, maybe not on the disk yet). Blocks.
  virtual status sync() = 0;

  // Swaps in a read model rebuilt in the SQLite file at `rebuilt_path` (a shadow): in one
  // transaction, every table of that file but projection_checkpoints replaces the table of the
  // same name here (dropped, created again from the shadow's definition with its indexes, filled
  // with the shadow's rows), and `projection`'s checkpoint becomes the shadow's. Readers see the
  // old tables until the commit and the new ones after it, never a mix. Views and triggers are
  // not copied. REQUIRES: no transaction open; `rebuilt_path` is another file, closed.
  // Errors: store_unavailable naming both files and the reason (nothing changed here). Blocks.
  virtual status replace_tables_from(const std::string& rebuilt_path,
                                     const std::string& projection) = 0;

  // Rolls back the open transaction, if any. Never fails.
  virtual void rollback() noexcept = 0;
};

// Runs `sql` with ?1, ?2, ... bound to `parameters` on a new read-only connection to the SQLite
// file at `path` and returns the rows: how an application (or a test) reads a read model. It
// sees the last commit; behind a hot rollback journal left by a killed writer (which a read-only
// connection may not roll back) it reads through a writable connection with query_only on, which
// restores the last commit first. Errors: store_unavailable naming the file and the reason
// (also when `sql` tries to write). Blocks.
result<std::vector<sql_row>> query_sqlite(const std::string& path, std::string_view sql,
                                          const std::vector<sql_value>& parameters = {});

}  // namespace esk
