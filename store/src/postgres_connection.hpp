// postgres_connection.hpp — one libpq connection and its query results, as RAII values whose
// failures are esk::error values. Internal to store/.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "esk/result.hpp"
#include "postgres_redaction.hpp"

namespace esk {

// The rows of a finished query. Moves only; frees the PGresult.
class postgres_rows {
 public:
  explicit postgres_rows(PGresult* rows) : rows_(rows, &PQclear) {}

  int count() const { return PQntuples(rows_.get()); }
  // The text of column `column` in row `row`; "" for NULL.
  std::string text(int row, int column) const {
    return std::string(PQgetvalue(rows_.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(rows_.get(), row, column)));
  }
  bool is_null(int row, int column) const { return PQgetisnull(rows_.get(), row, column) != 0; }
  PGresult* get() const { return rows_.get(); }
  std::uint64_t unsigned_number(int row, int column) const;
  std::int64_t number(int row, int column) const;

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> rows_;
};

// How a failed statement left the connection: the server refused it (the transaction it ran
// in rolled back, the connection is fine) or the connection broke (what the server did with an
// autocommit statement, a COMMIT above all, is unknown).
enum class postgres_failure { refused, connection_lost };

// A failed statement: the error to report (store_unavailable unless said otherwise) and how.
struct postgres_error {
  error failure;
  postgres_failure how;
  std::string sqlstate;  // the server's SQLSTATE, "" when the connection broke
};

// How long connecting may take (libpq's connect_timeout) when the connection string does not
// say: long enough for a slow network and a TLS handshake, short enough that a command against
// a server that never answers fails instead of hanging.
inline constexpr const char* default_connect_timeout_seconds = "10";

// TCP keepalive on every connection (libpq's keepalives_idle, _interval, _count) unless the
// connection string says otherwise: an idle connection whose server vanished without a word
// fails within about a minute (30 s idle, then 3 probes 10 s apart) instead of the system's two
// hours, and the probes keep a NAT's idle flow alive.
inline constexpr const char* keepalive_idle_seconds = "30";
inline constexpr const char* keepalive_interval_seconds = "10";
inline constexpr const char* keepalive_probes = "3";
// How long a statement's bytes may stay unacknowledged before the connection fails (libpq's
// tcp_user_timeout, milliseconds) unless the connection string says: a statement sent to a
// server that vanished fails within a minute instead of after some 15 minutes of
// retransmissions. A slow but live server acknowledges the bytes, so it is not cut short.
inline constexpr const char* unacknowledged_send_milliseconds = "60000";

// A connection to one PostgreSQL database, in autocommit mode unless a statement says BEGIN.
// Not thread-safe: one thread at a time (the pool lends it out).
class postgres_connection {
 public:
  // Connects with `conninfo` (a postgresql:// URI or key=value pairs), in UTF-8, quietly
  // (notices are dropped), giving up after default_connect_timeout_seconds and probing an idle
  // connection as keepalive_* say unless `conninfo` (connect_timeout=N, keepalives_idle=N, ...)
  // or PGCONNECT_TIMEOUT says otherwise. Errors: invalid_argument when libpq cannot parse
  // `conninfo`; else store_unavailable naming `described_as` and libpq's reason. Blocks while
  // connecting.
  static result<std::unique_ptr<postgres_connection>> connect(const std::string& conninfo,
                                                              const std::string& described_as);

  // Runs `sql` with text parameters ($1, $2, ...) and returns its rows (none for a command);
  // without parameters `sql` may be a script of several statements (the last one's rows).
  // Errors: see postgres_error. Blocks.
  result<postgres_rows> run(const std::string& sql, const std::vector<std::string>& parameters = {},
                            postgres_error* details = nullptr);

  // Runs `sql` as run() does with parameters, as a statement prepared on this connection the
  // first time it runs here (so the server parses it once per connection and may keep its
  // plan). `sql` must be one statement. Errors: see postgres_error (a failed PREPARE is
  // 'refused'). Blocks.
  result<postgres_rows> run_prepared(const std::string& sql,
                                     const std::vector<std::string>& parameters,
                                     postgres_error* details = nullptr);

  // Runs `sql` with parameters in PostgreSQL's binary format (each $n's type given in `sql`,
  // e.g. $1::text[]) and returns its rows in text format, as a statement prepared on this
  // connection the first time it runs here (as run_prepared()). Errors: see postgres_error (a
  // failed PREPARE is 'refused'). Blocks.
  result<postgres_rows> run_prepared_binary(const std::string& sql,
                                            const std::vector<std::string_view>& parameters,
                                            postgres_error* details = nullptr);

  // Whether the connection still works (false after the server went away).
  bool healthy() const { return PQstatus(connection_.get()) == CONNECTION_OK; }

  // Whether the server closed the connection, or sent anything, while it sat idle: an idle
  // connection that is not listening expects nothing unasked, so this is the server's goodbye
  // (a shutdown or restart, pg_terminate_backend, idle_session_timeout) or its socket's end.
  // A statement sent on such a connection would fail. Never blocks.
  bool closed_by_server_while_idle() const;

  // The libpq handle, for what this class does not wrap (LISTEN, tests).
  PGconn* handle() const { return connection_.get(); }

 private:
  result<postgres_rows> finished(postgres_rows rows, postgres_error* details);
  // The name of `sql` prepared on this connection (PQprepare'd with `parameter_count`
  // parameters the first time), or the failed PREPARE's error.
  result<const std::string*> prepared(const std::string& sql, int parameter_count,
                                      postgres_error* details);
  explicit postgres_connection(PGconn* connection) : connection_(connection, &PQfinish) {}
  std::unique_ptr<PGconn, void (*)(PGconn*)> connection_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
};

}  // namespace esk
