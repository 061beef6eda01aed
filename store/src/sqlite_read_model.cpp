#include "esk/store/sqlite_read_model.hpp"

#include <sqlite3.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <utility>

#include "sqlite_checkpoints.hpp"
#include "sqlite_connection.hpp"

namespace esk {
namespace {

struct statement_finalizer {
  void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using prepared_statement = std::unique_ptr<sqlite3_stmt, statement_finalizer>;

// Runs one prepared statement with `parameters` and collects its rows. Throws sqlite_failure.
std::vector<sql_row> run(sqlite3* db, sqlite3_stmt* statement,
                         const std::vector<sql_value>& parameters) {
  struct reset_on_exit {
    sqlite3_stmt* statement;
    ~reset_on_exit() {
      sqlite3_reset(statement);
      sqlite3_clear_bindings(statement);
    }
  } reset{statement};
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    const int index = static_cast<int>(i + 1);
    const sql_value& value = parameters[i];
    int code = SQLITE_OK;
    if (std::holds_alternative<std::nullptr_t>(value)) code = sqlite3_bind_null(statement, index);
    if (auto integer = std::get_if<std::int64_t>(&value))
      code = sqlite3_bind_int64(statement, index, *integer);
    if (auto real = std::get_if<double>(&value))
      code = sqlite3_bind_double(statement, index, *real);
    if (auto text = std::get_if<std::string>(&value))
      code = sqlite3_bind_text(statement, index, text->data(), static_cast<int>(text->size()),
                               SQLITE_STATIC);
    if (code != SQLITE_OK) throw sqlite_failure(code, sqlite3_errmsg(db));
  }
  std::vector<sql_row> rows;
  for (;;) {
    const int code = sqlite3_step(statement);
    if (code == SQLITE_DONE) return rows;
    if (code != SQLITE_ROW) throw sqlite_failure(code, sqlite3_errmsg(db));
    sql_row row;
    const int columns = sqlite3_column_count(statement);
    for (int column = 0; column < columns; ++column) {
      switch (sqlite3_column_type(statement, column)) {
        case SQLITE_INTEGER:
          row.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(statement, column)));
          break;
        case SQLITE_FLOAT:
          row.emplace_back(sqlite3_column_double(statement, column));
          break;
        case SQLITE_NULL:
          row.emplace_back(nullptr);
          break;
        default:
          row.emplace_back(
              std::string(reinterpret_cast<const char*>(sqlite3_column_text(statement, column)),
                          static_cast<std::size_t>(sqlite3_column_bytes(statement, column))));
      }
    }
    rows.push_back(std::move(row));
  }
}

// Prepares `sql` once per connection and keeps it.
class statement_cache {
 public:
  sqlite3_stmt* find_or_prepare(sqlite3* db, std::string_view sql) {
    auto found = statements_.find(sql);
    if (found != statements_.end()) return found->second.get();
    sqlite3_stmt* prepared = nullptr;
    const int code = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &prepared, nullptr);
    prepared_statement owned(prepared);
    if (code != SQLITE_OK) throw sqlite_failure(code, sqlite3_errmsg(db));
    return statements_.emplace(std::string(sql), std::move(owned)).first->second.get();
  }

 private:
  std::map<std::string, prepared_statement, std::less<>> statements_;
};

class sqlite_read_model_file final : public sqlite_read_model, private sql_transaction {
 public:
  sqlite_read_model_file(std::string path, sqlite_connection connection)
      : path_(std::move(path)), connection_(std::move(connection)) {}

  ~sqlite_read_model_file() override {
    // Statements must be finalized before the connection closes.
    user_statements_.reset();
  }

  result<std::uint64_t> checkpoint(const std::string& projection) override {
    try {
      return read_checkpoint_row(connection_, projection);
    } catch (const sqlite_failure& failure) {
      return unavailable("read the checkpoint of '" + projection + "' from", failure);
    }
  }

  status begin() override {
    try {
      transaction_.emplace(connection_);
      return {};
    } catch (const sqlite_failure& failure) {
      return unavailable("begin a transaction on", failure);
    }
  }

  sql_transaction& transaction() override { return *this; }

  void apply_undoable(const std::function<void()>& apply) override {
    run_cached("SAVEPOINT esk_event");  // prepared once: this runs twice per event
    try {
      apply();
    } catch (...) {
      connection_.execute("ROLLBACK TO esk_event; RELEASE esk_event");
      throw;
    }
    run_cached("RELEASE esk_event");
  }

  status commit(const std::string& projection, std::uint64_t position) override {
    if (auto committed = commit_unsynced(projection, position); !committed) return committed;
    return sync();
  }

  status sync() override {
    try {
      connection_.sync_write_ahead_log();
      return {};
    } catch (const sqlite_failure& failure) {
      return unavailable("sync the commits (which stay) of", failure);
    }
  }

  status commit_unsynced(const std::string& projection, std::uint64_t position) override {
    try {
      write_checkpoint_row(connection_, projection, position);
      transaction_->commit();
      transaction_.reset();
      return {};
    } catch (const sqlite_failure& failure) {
      transaction_.reset();  // rolls back
      return unavailable(
          "commit projection '" + projection + "' at position " + std::to_string(position) + " to",
          failure);
    }
  }

  void rollback() noexcept override { transaction_.reset(); }

  status replace_tables_from(const std::string& rebuilt_path,
                             const std::string& projection) override {
    try {
      connection_.execute("ATTACH DATABASE " + quoted(rebuilt_path) + " AS esk_rebuilt");
      struct detach_on_exit {
        sqlite3* db;
        ~detach_on_exit() {
          sqlite3_exec(db, "DETACH DATABASE esk_rebuilt", nullptr, nullptr, nullptr);
        }
      } detach{connection_.handle()};
      statement_cache statements;  // finalized before the detach
      sqlite_transaction swap(connection_);
      copy_rebuilt_tables(statements);
      const auto built = run(connection_.handle(),
                             statements.find_or_prepare(connection_.handle(),
                                                        "SELECT position FROM "
                                                        "esk_rebuilt.projection_checkpoints "
                                                        "WHERE name = ?1"),
                             {projection});
      const std::uint64_t position =
          built.empty() ? 0 : static_cast<std::uint64_t>(std::get<std::int64_t>(built[0][0]));
      write_checkpoint_row(connection_, projection, position);
      swap.commit();
      connection_.sync_write_ahead_log();
      return {};
    } catch (const sqlite_failure& failure) {
      return unavailable("swap in the rebuilt '" + rebuilt_path + "' as", failure);
    }
  }

 private:
  std::vector<sql_row> execute(std::string_view sql,
                               const std::vector<sql_value>& parameters) override {
    try {
      sqlite3* db = connection_.handle();
      return run(db, user_statements_->find_or_prepare(db, sql), parameters);
    } catch (const sqlite_failure& failure) {
      throw std::runtime_error("read model '" + path_ + "': " + std::string(sql) + ": " +
                               failure.what());
    }
  }

  // Drops and creates again, from esk_rebuilt's definitions, every table of esk_rebuilt (but
  // the checkpoints) with its indexes, and copies its rows. Throws sqlite_failure.
  void copy_rebuilt_tables(statement_cache& statements) {
    sqlite3* db = connection_.handle();
    const auto definitions =
        run(db,
            statements.find_or_prepare(db,
                                       "SELECT type, name, sql FROM esk_rebuilt.sqlite_master "
                                       "WHERE sql IS NOT NULL AND type IN ('table', 'index') "
                                       "AND name NOT LIKE 'sqlite_%' "
                                       "AND name <> 'projection_checkpoints' "
                                       "ORDER BY type = 'index', rowid"),
            {});
    for (const auto& row : definitions) {
      const auto& type = std::get<std::string>(row[0]);
      const auto& name = std::get<std::string>(row[1]);
      const auto& definition = std::get<std::string>(row[2]);
      if (type == "table") {
        connection_.execute("DROP TABLE IF EXISTS main." + identifier(name));
        connection_.execute(definition);  // unqualified: created in main
        connection_.execute("INSERT INTO main." + identifier(name) + " SELECT * FROM esk_rebuilt." +
                            identifier(name));
      } else {
        connection_.execute(definition);  // its table was dropped with its old indexes
      }
    }
  }

  static std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }

  static std::string identifier(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  }

  // Runs a statement without parameters or rows through the connection's statement cache.
  void run_cached(std::string_view sql) {
    sqlite_statement& statement = connection_.statement(sql);
    statement_reset reset(statement);
    statement.step();
  }

  error unavailable(const std::string& action, const sqlite_failure& failure) const {
    return error{error_kind::store_unavailable,
                 "cannot " + action + " read model '" + path_ + "': " + failure.what()};
  }

  const std::string path_;
  sqlite_connection connection_;
  std::unique_ptr<statement_cache> user_statements_ = std::make_unique<statement_cache>();
  std::optional<sqlite_transaction> transaction_;
};

}  // namespace

result<std::unique_ptr<sqlite_read_model>> sqlite_read_model::open(const std::string& path,
                                                                   const std::string& schema,
                                                                   int busy_timeout_ms) {
  try {
    sqlite_connection connection(
        path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, busy_timeout_ms);
    if (connection.query_text("PRAGMA journal_mode=WAL") != "wal")
      throw sqlite_failure(SQLITE_ERROR, "cannot switch to the WAL journal");
    // Commits are synced when the caller says (commit, sync), not each one: a batch in the
    // middle of a catch-up needs not reach the disk before the next.
    connection.execute("PRAGMA synchronous=NORMAL");
    // The checkpoint table and the user's tables appear together or not at all (a process
    // killed while creating them leaves an empty file, which the next open creates again).
    connection.execute("BEGIN IMMEDIATE");
    try {
      connection.execute(checkpoints_table_sql);
      if (!schema.empty()) connection.execute(schema);
      connection.execute("COMMIT");
    } catch (...) {
      sqlite3_exec(connection.handle(), "ROLLBACK", nullptr, nullptr, nullptr);  // keep the cause
      throw;
    }
    return std::unique_ptr<sqlite_read_model>(
        std::make_unique<sqlite_read_model_file>(path, std::move(connection)));
  } catch (const sqlite_failure& failure) {
    return error{error_kind::store_unavailable,
                 "cannot open read model '" + path + "': " + failure.what()};
  }
}

result<std::vector<sql_row>> query_sqlite(const std::string& path, std::string_view sql,
                                          const std::vector<sql_value>& parameters) {
  const auto query_through = [&](int open_flags) {
    sqlite_connection reader(path, open_flags | SQLITE_OPEN_NOMUTEX, 5000);
    if ((open_flags & SQLITE_OPEN_READWRITE) != 0) reader.execute("PRAGMA query_only=ON");
    statement_cache statements;
    sqlite3_stmt* statement = statements.find_or_prepare(reader.handle(), sql);
    return run(reader.handle(), statement, parameters);
  };
  try {
    try {
      return query_through(SQLITE_OPEN_READONLY);
    } catch (const sqlite_failure& failure) {
      // A writer killed mid-transaction in rollback-journal mode (e.g. while the file switched
      // to WAL) leaves a hot journal that only a writable connection may roll back: reading
      // read-only then fails with SQLITE_READONLY. A writable connection restores the last
      // commit; query_only keeps `sql` itself from writing.
      if (failure.code() != SQLITE_READONLY) throw;
      return query_through(SQLITE_OPEN_READWRITE);
    }
  } catch (const sqlite_failure& failure) {
    return error{error_kind::store_unavailable,
                 "cannot query '" + path + "' (" + std::string(sql) + "): " + failure.what()};
  }
}

}  // namespace esk
