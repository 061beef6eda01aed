// sqlite_reader_pool.hpp — the read-only connections a SQLite store reads through, so that
// several threads read at once, each on its own connection (WAL lets each read the last
// commit while a write is in progress). Internal to store/.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sqlite_connection.hpp"

namespace esk {

// Up to `capacity` reader connections to one file, opened on demand: a read checks one out,
// uses it alone and returns it. Thread-safe.
class sqlite_reader_pool {
 public:
  // How to open one more reader: sqlite_connection's arguments.
  struct connection_settings {
    std::string path;  // a file path, or a file: URI with SQLITE_OPEN_URI in flags
    int flags = 0;
    int busy_timeout_ms = 0;
  };

  // A pool of one connection opened with `settings` now (so that a file that cannot be opened
  // fails here), which opens more with `settings` when reads overlap. REQUIRES: capacity >= 1.
  // Throws sqlite_failure when the first connection cannot be opened.
  sqlite_reader_pool(connection_settings settings, std::size_t capacity);

  // One checked-out connection, returned to the pool when the lease ends. Its owner may use it
  // from one thread at a time. REQUIRES: it ends before the pool does.
  class lease {
   public:
    lease(lease&& other) noexcept;
    lease& operator=(lease&&) = delete;
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    ~lease();

    sqlite_connection& connection() const noexcept { return *connection_; }

   private:
    friend class sqlite_reader_pool;
    lease(sqlite_reader_pool& pool, sqlite_connection& connection) noexcept
        : pool_(&pool), connection_(&connection) {}
    sqlite_reader_pool* pool_;  // null once moved from
    sqlite_connection* connection_;
  };

  // A connection no one else is using: an idle one, else a newly opened one while fewer than
  // the capacity are open, else the first one returned (blocks until then). Throws
  // sqlite_failure when opening a new connection fails; the pool is then as it was.
  lease check_out();

 private:
  void give_back(sqlite_connection& connection) noexcept;
  sqlite_connection& open_one_more();

  const connection_settings settings_;
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::size_t opened_or_opening_ = 0;                    // guarded by mutex_
  std::vector<std::unique_ptr<sqlite_connection>> all_;  // guarded by mutex_
  std::vector<sqlite_connection*> idle_;                 // guarded by mutex_
};

}  // namespace esk
