#include "sqlite_connection.hpp"

#include <sqlite3.h>

#include <exception>

namespace esk {
namespace {

// Throws the connection's current error when `code` is not SQLITE_OK.
void check(sqlite3* db, int code) {
  if (code != SQLITE_OK) throw sqlite_failure(code, sqlite3_errmsg(db));
}

}  // namespace

sqlite_failure::sqlite_failure(int code, const std::string& message)
    : std::runtime_error(message), code_(code & 0xff) {}

void sqlite_statement::finalizer::operator()(sqlite3_stmt* statement) const noexcept {
  sqlite3_finalize(statement);
}

sqlite_statement::sqlite_statement(sqlite3* db, std::string_view sql) : db_(db) {
  sqlite3_stmt* prepared = nullptr;
  int code = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &prepared, nullptr);
  statement_.reset(prepared);
  check(db_, code);
}

void sqlite_statement::bind_int64(int index, std::int64_t value) {
  check(db_, sqlite3_bind_int64(statement_.get(), index, value));
}

void sqlite_statement::bind_text(int index, std::string_view text) {
  // SQLITE_STATIC: the caller keeps `text` alive until reset, so SQLite need not copy it.
  check(db_, sqlite3_bind_text(statement_.get(), index, text.data(), static_cast<int>(text.size()),
                               SQLITE_STATIC));
}

void sqlite_statement::bind_optional_text(int index, std::string_view text) {
  if (text.empty()) {
    check(db_, sqlite3_bind_null(statement_.get(), index));
  } else {
    bind_text(index, text);
  }
}

bool sqlite_statement::step() {
  int code = sqlite3_step(statement_.get());
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  throw sqlite_failure(code, sqlite3_errmsg(db_));
}

std::int64_t sqlite_statement::column_int64(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

std::string sqlite_statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_.get(), column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column)));
}

std::string_view sqlite_statement::column_view(int column) const {
  // sqlite3_column_text before sqlite3_column_bytes: bytes then counts the text's length.
  const unsigned char* text = sqlite3_column_text(statement_.get(), column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column))};
}

void sqlite_statement::reset() noexcept {
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
}

void sqlite_connection::closer::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }

sqlite_connection::sqlite_connection(const std::string& path, int flags, int busy_timeout_ms) {
  sqlite3* opened = nullptr;
  int code = sqlite3_open_v2(path.c_str(), &opened, flags, nullptr);
  db_.reset(opened);  // sqlite allocates a handle even on failure; it must be closed
  if (opened == nullptr) throw sqlite_failure(SQLITE_NOMEM, "out of memory");
  check(opened, code);
  check(opened, sqlite3_busy_timeout(opened, busy_timeout_ms));
}

void sqlite_connection::execute(const std::string& sql) {
  check(db_.get(), sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, nullptr));
}

sqlite_statement& sqlite_connection::statement(std::string_view sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    auto prepared = std::make_unique<sqlite_statement>(db_.get(), sql);
    found = statements_.emplace(std::string(sql), std::move(prepared)).first;
  }
  return *found->second;
}

std::int64_t sqlite_connection::query_int64(std::string_view sql) {
  sqlite_statement& query = statement(sql);
  statement_reset reset(query);
  return query.step() ? query.column_int64(0) : 0;
}

std::string sqlite_connection::query_text(std::string_view sql) {
  sqlite_statement& query = statement(sql);
  statement_reset reset(query);
  return query.step() ? query.column_text(0) : std::string();
}

std::int64_t sqlite_connection::last_insert_rowid() const noexcept {
  return sqlite3_last_insert_rowid(db_.get());
}

std::int64_t sqlite_connection::data_version() { return query_int64("PRAGMA data_version"); }

void sqlite_connection::sync_write_ahead_log() {
  sqlite3_file* log = nullptr;
  check(db_.get(), sqlite3_file_control(db_.get(), "main", SQLITE_FCNTL_JOURNAL_POINTER, &log));
  if (!log || !log->pMethods)
    throw sqlite_failure(SQLITE_MISUSE, "no write-ahead log is open to sync");
  check(db_.get(), log->pMethods->xSync(log, SQLITE_SYNC_NORMAL));
}

without_sync::without_sync(sqlite_connection& connection) : connection_(connection) {
  sqlite_statement& normal = connection_.statement("PRAGMA synchronous=NORMAL");
  statement_reset reset(normal);
  normal.step();
}

without_sync::~without_sync() {
  // Setting a pragma takes no lock and reads nothing: it does not fail on an open connection.
  // Were it ever to, later commits would not be synced, so stop rather than go on silently.
  if (sqlite3_exec(connection_.handle(), "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) !=
      SQLITE_OK)
    std::terminate();
}

sqlite_transaction::sqlite_transaction(sqlite_connection& connection) : connection_(connection) {
  sqlite_statement& begin = connection_.statement("BEGIN IMMEDIATE");
  statement_reset reset(begin);
  begin.step();
}

sqlite_transaction::~sqlite_transaction() {
  if (committed_) return;
  try {
    sqlite_statement& rollback = connection_.statement("ROLLBACK");
    statement_reset reset(rollback);
    rollback.step();
  } catch (const std::exception&) {
    // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL); either way
    // the transaction is gone and nothing of it committed.
  }
}

void sqlite_transaction::commit() {
  sqlite_statement& commit = connection_.statement("COMMIT");
  statement_reset reset(commit);
  commit.step();
  committed_ = true;
}

}  // namespace esk
