#include "scratch_store.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>

#include "esk/store/memory_store.hpp"
#include "esk/store/postgres_store.hpp"
#include "esk/store/sqlite_store.hpp"

namespace esk::bench {

status run_postgres_sql(const std::string& url, const std::string& sql) {
  PGconn* connection = PQconnectdb(url.c_str());
  std::string failure;
  if (PQstatus(connection) != CONNECTION_OK) {
    failure = PQerrorMessage(connection);
  } else {
    // Quietly: DROP ... CASCADE would print a notice per table.
    PGresult* done = PQexec(connection, ("SET client_min_messages = warning; " + sql).c_str());
    if (PQresultStatus(done) != PGRES_COMMAND_OK && PQresultStatus(done) != PGRES_TUPLES_OK)
      failure = PQresultErrorMessage(done);
    PQclear(done);
  }
  PQfinish(connection);
  if (failure.empty()) return {};
  return error{error_kind::store_unavailable, "PostgreSQL: " + failure};
}

std::string postgres_url_in_schema(const std::string& url, const std::string& schema) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema;
}

result<std::unique_ptr<scratch_store>> scratch_store::open(const std::string& name,
                                                           const bench_options& options,
                                                           const std::string& label) {
  if (name == "memory")
    return std::unique_ptr<scratch_store>(new scratch_store(make_memory_store(), "", "", ""));
  if (name == "postgres") {
    if (options.postgres_url.empty())
      return error{error_kind::invalid_argument, "--store postgres needs --postgres URL"};
    std::string schema = "esk_bench_";
    for (char c : label) schema += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    schema += "_" + std::to_string(::getpid());
    auto created = run_postgres_sql(options.postgres_url, "DROP SCHEMA IF EXISTS " + schema +
                                                              " CASCADE; CREATE SCHEMA " + schema);
    if (!created) return created.error_value();
    auto opened = open_postgres_store(postgres_url_in_schema(options.postgres_url, schema));
    if (!opened) return opened.error_value();
    return std::unique_ptr<scratch_store>(
        new scratch_store(std::move(*opened), "", schema, options.postgres_url));
  }
  if (name != "sqlite") return error{error_kind::invalid_argument, "unknown store " + name};
  const std::string path =
      options.directory + "/esk-bench-" + label + "-" + std::to_string(::getpid()) + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto opened = open_sqlite_store(path);
  if (!opened) return opened.error_value();
  return std::unique_ptr<scratch_store>(new scratch_store(std::move(*opened), path, "", ""));
}

scratch_store::~scratch_store() {
  store_.reset();
  if (!schema_.empty()) {
    // A schema left behind costs disk only; the next run of the same label drops it.
    (void)run_postgres_sql(postgres_url_, "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  }
  if (path_.empty()) return;
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix, ignored);
}

}  // namespace esk::bench
