// scratch_store.hpp — a fresh, empty store for one measurement, removed afterwards.
#pragma once

#include <memory>
#include <string>

#include "bench_options.hpp"
#include "esk/result.hpp"
#include "esk/store/event_store.hpp"

namespace esk::bench {

// Owns a store named "memory", "sqlite" or "postgres". A SQLite store lives in a new file
// `<options.directory>/esk-bench-<label>-<pid>.db` (durable: WAL, synchronous=FULL), deleted
// with its WAL and shared-memory files when the scratch_store is destroyed. A PostgreSQL store
// lives in a new schema esk_bench_<label>_<pid> of the database options.postgres_url names,
// dropped when the scratch_store is destroyed. Keep it alive longer than anything that uses
// its store (declare it before the runtime).
class scratch_store {
 public:
  // Errors: invalid_argument for an unknown name (or postgres without a URL),
  // store_unavailable/incompatible_store from the backend. Blocks while opening.
  static result<std::unique_ptr<scratch_store>> open(const std::string& name,
                                                     const bench_options& options,
                                                     const std::string& label);
  ~scratch_store();
  scratch_store(const scratch_store&) = delete;
  scratch_store& operator=(const scratch_store&) = delete;

  const std::shared_ptr<event_store>& store() const { return store_; }

 private:
  scratch_store(std::shared_ptr<event_store> store, std::string path, std::string schema,
                std::string postgres_url)
      : store_(std::move(store)),
        path_(std::move(path)),
        schema_(std::move(schema)),
        postgres_url_(std::move(postgres_url)) {}

  std::shared_ptr<event_store> store_;
  std::string path_;          // the SQLite file; empty for the other stores
  std::string schema_;        // the PostgreSQL schema; empty for the other stores
  std::string postgres_url_;  // the database of schema_
};

// Runs `sql` (no parameters) on the PostgreSQL database at `url`, on a connection of its own.
// Errors: store_unavailable with the server's message. Blocks.
status run_postgres_sql(const std::string& url, const std::string& sql);

// `url` with search_path set to `schema` (as libpq's options parameter).
std::string postgres_url_in_schema(const std::string& url, const std::string& schema);

}  // namespace esk::bench
