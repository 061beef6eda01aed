#include "postgres_connection.hpp"

#include <poll.h>

#include <cstdlib>

namespace esk {
namespace {

void ignore_notice(void*, const char*) {}

std::string trimmed(const char* message) {
  std::string text = message == nullptr ? "" : message;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Text parameters as libpq takes them: pointers into `parameters`, which must outlive them.
std::vector<const char*> text_values(const std::vector<std::string>& parameters) {
  std::vector<const char*> values;
  values.reserve(parameters.size());
  for (const auto& parameter : parameters) values.push_back(parameter.c_str());
  return values;
}

// Binary parameters as libpq takes them: pointers into the caller's strings, their lengths,
// and format 1 (binary) for each.
struct binary_values {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  int count() const { return static_cast<int>(values.size()); }
};

// `parameters` as binary_values in this thread's own arrays, valid until the thread's next
// call (reused: once grown to a batch's size, an append allocates nothing for them).
const binary_values& binary_values_of(const std::vector<std::string_view>& parameters) {
  thread_local binary_values arrays;
  arrays.values.clear();
  arrays.lengths.clear();
  for (const auto& parameter : parameters) {
    arrays.values.push_back(parameter.data());
    arrays.lengths.push_back(static_cast<int>(parameter.size()));
  }
  arrays.formats.assign(parameters.size(), 1);
  return arrays;
}

}  // namespace

std::uint64_t postgres_rows::unsigned_number(int row, int column) const {
  return std::strtoull(PQgetvalue(rows_.get(), row, column), nullptr, 10);
}

std::int64_t postgres_rows::number(int row, int column) const {
  return std::strtoll(PQgetvalue(rows_.get(), row, column), nullptr, 10);
}

result<std::unique_ptr<postgres_connection>> postgres_connection::connect(
    const std::string& conninfo, const std::string& described_as) {
  // A string libpq cannot even parse is the caller's mistake, not an unavailable store.
  char* parse_error = nullptr;
  if (PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &parse_error)) {
    PQconninfoFree(parsed);
  } else {
    const std::string why = parse_error == nullptr ? "out of memory" : trimmed(parse_error);
    PQfreemem(parse_error);
    return error{error_kind::invalid_argument,
                 "malformed connection string '" + described_as +
                     "': " + redact_connection_message(why, conninfo)};
  }
  // Without connect_timeout, libpq waits for a server that accepts and never answers for ever
  // (and minutes for a host that drops packets). Without keepalives sooner than the system's
  // two hours, an idle connection whose server vanished without a word (a crashed host, a
  // failover, a NAT that forgot the idle flow) looks alive: a commit listener would wait on it
  // that long, hearing nothing; and a statement sent to such a server would be retransmitted
  // for some 15 minutes before failing, unless tcp_user_timeout bounds it. The connection string's
  // own settings, expanded after ours, win; so does PGCONNECT_TIMEOUT (ours is then left out).
  const char* keywords[] = {"connect_timeout",
                            "keepalives_idle",
                            "keepalives_interval",
                            "keepalives_count",
                            "tcp_user_timeout",
                            "dbname",
                            nullptr};
  const char* values[] = {std::getenv("PGCONNECT_TIMEOUT") ? "" : default_connect_timeout_seconds,
                          keepalive_idle_seconds,
                          keepalive_interval_seconds,
                          keepalive_probes,
                          unacknowledged_send_milliseconds,
                          conninfo.c_str(),
                          nullptr};
  std::unique_ptr<postgres_connection> connection{
      new postgres_connection(PQconnectdbParams(keywords, values, /*expand_dbname=*/1))};
  if (connection->handle() == nullptr) {
    return error{error_kind::store_unavailable,
                 "cannot connect to '" + described_as + "': out of memory"};
  }
  if (!connection->healthy()) {
    // libpq may quote the connection string, or the pieces it made of a password.
    return error{
        error_kind::store_unavailable,
        "cannot connect to '" + described_as + "': " +
            redact_connection_message(trimmed(PQerrorMessage(connection->handle())), conninfo)};
  }
  PQsetNoticeProcessor(connection->handle(), &ignore_notice, nullptr);
  if (PQsetClientEncoding(connection->handle(), "UTF8") != 0) {
    return error{error_kind::store_unavailable, "cannot use UTF-8 with '" + described_as + "': " +
                                                    trimmed(PQerrorMessage(connection->handle()))};
  }
  return connection;
}

bool postgres_connection::closed_by_server_while_idle() const {
  pollfd socket{PQsocket(connection_.get()), POLLIN, 0};
  if (socket.fd < 0) return true;
  return ::poll(&socket, 1, 0) > 0;
}

result<postgres_rows> postgres_connection::run(const std::string& sql,
                                               const std::vector<std::string>& parameters,
                                               postgres_error* details) {
  const std::vector<const char*> values = text_values(parameters);
  // Without parameters, the simple protocol: it also runs a script of several statements.
  postgres_rows rows{values.empty() ? PQexec(connection_.get(), sql.c_str())
                                    : PQexecParams(connection_.get(), sql.c_str(),
                                                   static_cast<int>(values.size()), nullptr,
                                                   values.data(), nullptr, nullptr, 0)};
  return finished(std::move(rows), details);
}

result<postgres_rows> postgres_connection::run_prepared(const std::string& sql,
                                                        const std::vector<std::string>& parameters,
                                                        postgres_error* details) {
  auto name = prepared(sql, static_cast<int>(parameters.size()), details);
  if (!name) return name.error_value();
  const std::vector<const char*> values = text_values(parameters);
  return finished(postgres_rows{PQexecPrepared(connection_.get(), (*name)->c_str(),
                                               static_cast<int>(values.size()), values.data(),
                                               nullptr, nullptr, 0)},
                  details);
}

result<postgres_rows> postgres_connection::run_prepared_binary(
    const std::string& sql, const std::vector<std::string_view>& parameters,
    postgres_error* details) {
  auto name = prepared(sql, static_cast<int>(parameters.size()), details);
  if (!name) return name.error_value();
  const binary_values& binary = binary_values_of(parameters);
  return finished(postgres_rows{PQexecPrepared(connection_.get(), (*name)->c_str(), binary.count(),
                                               binary.values.data(), binary.lengths.data(),
                                               binary.formats.data(), 0)},
                  details);
}

result<const std::string*> postgres_connection::prepared(const std::string& sql,
                                                         int parameter_count,
                                                         postgres_error* details) {
  auto known = prepared_.find(sql);
  if (known == prepared_.end()) {
    const std::string name = "esk_" + std::to_string(prepared_.size() + 1);
    auto done = finished(postgres_rows{PQprepare(connection_.get(), name.c_str(), sql.c_str(),
                                                 parameter_count, nullptr)},
                         details);
    if (!done) return done.error_value();
    known = prepared_.emplace(sql, name).first;
  }
  return &known->second;
}

result<postgres_rows> postgres_connection::finished(postgres_rows rows, postgres_error* details) {
  const ExecStatusType status =
      rows.get() == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(rows.get());
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) return rows;
  postgres_error failed{{error_kind::store_unavailable, ""}, postgres_failure::refused, ""};
  if (!healthy() || rows.get() == nullptr) {
    failed.how = postgres_failure::connection_lost;
    failed.failure.message =
        "lost the connection to PostgreSQL: " + trimmed(PQerrorMessage(connection_.get()));
  } else {
    const char* state = PQresultErrorField(rows.get(), PG_DIAG_SQLSTATE);
    failed.sqlstate = state == nullptr ? "" : state;
    failed.failure.message =
        "PostgreSQL refused the statement: " + trimmed(PQresultErrorMessage(rows.get()));
  }
  if (details != nullptr) *details = failed;
  return failed.failure;
}

}  // namespace esk
