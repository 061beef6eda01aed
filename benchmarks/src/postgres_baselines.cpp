// The PostgreSQL server's raw INSERT rate through libpq, without the store: what bounds the
// PostgreSQL store's appends (one row per transaction, and 256 rows per transaction). The INSERT
// is prepared once, as the store's append calls are, so the limit is the server's, not the cost
// of parsing and planning the statement again on every call.
#include <libpq-fe.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "process_memory.hpp"
#include "scratch_store.hpp"
#include "workloads.hpp"

namespace esk::bench {
namespace {

using clock_type = std::chrono::steady_clock;

// "INSERT INTO raw_events VALUES ($1,...,$5), ($6,...)": `rows` rows of five parameters.
std::string insert_statement(std::size_t rows) {
  std::string sql = "INSERT INTO raw_events (position, stream, version, type, payload) VALUES ";
  for (std::size_t row = 0; row < rows; ++row) {
    sql += row == 0 ? "(" : ", (";
    for (std::size_t column = 1; column <= 5; ++column)
      sql += (column == 1 ? "$" : ", $") + std::to_string(row * 5 + column);
    sql += ")";
  }
  return sql;
}

}  // namespace

figure postgres_inserts(const bench_options& options, std::size_t rows_per_transaction) {
  figure row;
  row.name = "baseline/insert-" + std::to_string(rows_per_transaction);
  row.store = "postgres";
  row.parameters = "rows_per_txn=" + std::to_string(rows_per_transaction) +
                   " one prepared INSERT statement per transaction, libpq";
  row.events_rate_is_figure = true;
  const std::string schema = "esk_bench_insert_" + std::to_string(::getpid());
  auto created = run_postgres_sql(
      options.postgres_url,
      "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema + "; CREATE TABLE " +
          schema +
          ".raw_events (position bigint PRIMARY KEY, stream text NOT NULL, version bigint NOT "
          "NULL, type text NOT NULL, payload text NOT NULL)");
  if (!created) {
    row.failed = 1;
    row.first_failure = created.error_value().message;
    return row;
  }
  std::unique_ptr<PGconn, void (*)(PGconn*)> connection{
      PQconnectdb(postgres_url_in_schema(options.postgres_url, schema).c_str()), &PQfinish};
  reset_peak_resident_bytes();
  const std::string sql = insert_statement(rows_per_transaction);
  PGresult* prepared = PQprepare(connection.get(), "raw_insert", sql.c_str(), 0, nullptr);
  const bool is_prepared = PQresultStatus(prepared) == PGRES_COMMAND_OK;
  if (!is_prepared) {
    row.failed = 1;
    row.first_failure = PQresultErrorMessage(prepared);
  }
  PQclear(prepared);
  const std::string payload = R"({"user_id":"b1234","email":"b1234@example.org","name":"B"})";
  latency_histogram latency;
  std::uint64_t position = 0;
  std::vector<std::string> values(rows_per_transaction * 5);
  std::vector<const char*> parameters(values.size());
  while (is_prepared && row.seconds < options.baseline_seconds) {
    for (std::size_t i = 0; i < rows_per_transaction; ++i) {
      ++position;
      values[i * 5] = std::to_string(position);
      values[i * 5 + 1] = "User-b" + std::to_string(position % 10000);
      values[i * 5 + 2] = std::to_string(position / 10000 + 1);
      values[i * 5 + 3] = "EmailChanged";
      values[i * 5 + 4] = payload;
    }
    for (std::size_t i = 0; i < values.size(); ++i) parameters[i] = values[i].c_str();
    const auto started = clock_type::now();
    PGresult* done =
        PQexecPrepared(connection.get(), "raw_insert", static_cast<int>(parameters.size()),
                       parameters.data(), nullptr, nullptr, 0);
    const auto took = clock_type::now() - started;
    const bool ok = PQresultStatus(done) == PGRES_COMMAND_OK;
    if (!ok && row.failed++ == 0) row.first_failure = PQresultErrorMessage(done);
    PQclear(done);
    row.seconds += std::chrono::duration<double>(took).count();
    latency.record(took);
    ++row.operations;
    if (ok) row.events += rows_per_transaction;
  }
  row.peak_rss_bytes = peak_resident_bytes();
  set_latency(row, latency);
  connection.reset();
  // A schema left behind costs disk only; the next run drops it before creating it again.
  (void)run_postgres_sql(options.postgres_url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  return row;
}

}  // namespace esk::bench
