// What keeping a global position readers can trust costs a PostgreSQL writer, two ways (issue
// 11): one append lock (the store's: a one-row counter locked until commit, so positions commit
// in order; Message DB's way) versus positions from a sequence and a transaction ID on each row
// (Marten's and Emmett's way: no lock, readers see only rows of transactions older than the
// oldest one in flight, pg_snapshot_xmin, reading in (transaction ID, position) order, which
// needs a second index). Raw tables, no store: only the scheme differs.
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "process_memory.hpp"
#include "scratch_store.hpp"
#include "workloads.hpp"

namespace esk::bench {
namespace {

using clock_type = std::chrono::steady_clock;
constexpr std::size_t rows_per_transaction = 256;

// The text form of a one-dimensional text[] with every element quoted.
std::string text_array(const std::vector<std::string>& elements) {
  std::string out = "{";
  for (const auto& element : elements) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : element) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string tables(const std::string& scheme) {
  if (scheme == "lock") {
    return "CREATE TABLE head (only_row boolean PRIMARY KEY, position bigint NOT NULL);"
           " INSERT INTO head VALUES (true, 0);"
           " CREATE TABLE events (position bigint PRIMARY KEY, stream text NOT NULL,"
           " version bigint NOT NULL, type text NOT NULL, payload text NOT NULL)";
  }
  return "CREATE SEQUENCE positions;"
         " CREATE TABLE events (position bigint PRIMARY KEY DEFAULT nextval('positions'),"
         " transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(), stream text NOT NULL,"
         " version bigint NOT NULL, type text NOT NULL, payload text NOT NULL);"
         " CREATE INDEX events_in_commit_order ON events (transaction_id, position)";
}

std::string insert(const std::string& scheme) {
  const std::string rows =
      "unnest($1::text[], $2::bigint[], $3::text[], $4::text[]) WITH ORDINALITY"
      " AS u(stream, version, type, payload, n)";
  if (scheme == "lock") {
    return "WITH h AS (UPDATE head SET position = position + " +
           std::to_string(rows_per_transaction) +
           " RETURNING position) INSERT INTO events (position, stream, version, type, payload)"
           " SELECT h.position - " +
           std::to_string(rows_per_transaction) +
           " + u.n, u.stream, u.version, u.type, u.payload FROM h, " + rows;
  }
  return "INSERT INTO events (stream, version, type, payload) SELECT u.stream, u.version,"
         " u.type, u.payload FROM " +
         rows;
}

// One writer's loop: 256-row transactions until `seconds` have passed. Returns rows written
// (and counts failures in `failed`, keeping the first message).
std::uint64_t write_until(const std::string& url, const std::string& sql, std::size_t writer,
                          double seconds, std::atomic<std::uint64_t>& failed,
                          std::string& first_failure) {
  std::unique_ptr<PGconn, void (*)(PGconn*)> connection{PQconnectdb(url.c_str()), &PQfinish};
  const std::string payload = R"({"user_id":"b1234","email":"b1234@example.org","name":"B"})";
  std::vector<std::string> streams(rows_per_transaction), types(rows_per_transaction, "Changed"),
      payloads(rows_per_transaction, payload);
  std::string versions;
  std::uint64_t written = 0;
  std::uint64_t batch = 0;
  const auto until = clock_type::now() + std::chrono::duration<double>(seconds);
  while (clock_type::now() < until) {
    ++batch;
    versions = "{";
    for (std::size_t i = 0; i < rows_per_transaction; ++i) {
      streams[i] = "User-w" + std::to_string(writer) + "-" + std::to_string(i);
      versions += (i == 0 ? "" : ",") + std::to_string(batch);
    }
    versions += "}";
    const std::string parameters[] = {text_array(streams), versions, text_array(types),
                                      text_array(payloads)};
    const char* values[] = {parameters[0].c_str(), parameters[1].c_str(), parameters[2].c_str(),
                            parameters[3].c_str()};
    PGresult* done =
        PQexecParams(connection.get(), sql.c_str(), 4, nullptr, values, nullptr, nullptr, 0);
    if (PQresultStatus(done) == PGRES_COMMAND_OK) {
      written += rows_per_transaction;
    } else if (failed++ == 0) {
      first_failure = PQresultErrorMessage(done);
    }
    PQclear(done);
  }
  return written;
}

}  // namespace

figure postgres_position_scheme(const bench_options& options, const std::string& scheme,
                                std::size_t writers) {
  figure row;
  row.name = "baseline/positions-" + scheme + "-" + std::to_string(writers);
  row.store = "postgres";
  row.parameters = "writers=" + std::to_string(writers) + " rows_per_txn=256 " +
                   (scheme == "lock" ? "append lock (one-row counter)"
                                     : "sequence + transaction ID, (xid, position) index");
  row.events_rate_is_figure = true;
  const std::string schema = "esk_bench_positions_" + scheme + "_" + std::to_string(::getpid());
  auto created = run_postgres_sql(
      options.postgres_url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE;" + " CREATE SCHEMA " +
                                schema + "; SET search_path=" + schema + "; " + tables(scheme));
  if (!created) {
    row.failed = 1;
    row.first_failure = created.error_value().message;
    return row;
  }
  reset_peak_resident_bytes();
  const std::string url = postgres_url_in_schema(options.postgres_url, schema);
  const std::string sql = insert(scheme);
  std::atomic<std::uint64_t> failed{0};
  std::vector<std::string> failures(writers);
  std::vector<std::uint64_t> written(writers, 0);
  const auto started = clock_type::now();
  {
    std::vector<std::thread> threads;
    for (std::size_t w = 0; w < writers; ++w) {
      threads.emplace_back([&, w] {
        written[w] = write_until(url, sql, w, options.baseline_seconds, failed, failures[w]);
      });
    }
    for (auto& thread : threads) thread.join();
  }
  row.seconds = std::chrono::duration<double>(clock_type::now() - started).count();
  for (std::size_t w = 0; w < writers; ++w) {
    row.events += written[w];
    row.operations += written[w] / rows_per_transaction;
    if (row.first_failure.empty()) row.first_failure = failures[w];
  }
  row.failed = failed.load();
  row.peak_rss_bytes = peak_resident_bytes();
  // A schema left behind costs disk only; the next run drops it before creating it again.
  (void)run_postgres_sql(options.postgres_url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  return row;
}

}  // namespace esk::bench
