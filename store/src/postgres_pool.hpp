// postgres_pool.hpp — the store's connections: opened when calls overlap, up to a limit, lent
// to one caller at a time. Internal to store/.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "postgres_connection.hpp"

namespace esk {

class postgres_pool;

// A connection on loan; returns it to the pool when it goes (or drops it when it broke).
class postgres_lease {
 public:
  postgres_lease(postgres_pool& pool, std::unique_ptr<postgres_connection> connection)
      : pool_(&pool), connection_(std::move(connection)) {}
  postgres_lease(postgres_lease&&) = default;
  postgres_lease& operator=(postgres_lease&&) = delete;
  ~postgres_lease();

  postgres_connection* operator->() const { return connection_.get(); }
  postgres_connection& operator*() const { return *connection_; }

 private:
  postgres_pool* pool_;
  std::unique_ptr<postgres_connection> connection_;
};

class postgres_pool {
 public:
  // REQUIRES: capacity >= 1. `described_as` names the database in errors (no password).
  postgres_pool(std::string conninfo, std::string described_as, int capacity)
      : conninfo_(std::move(conninfo)),
        described_as_(std::move(described_as)),
        capacity_(capacity) {}

  // An idle connection, a new one while fewer than `capacity` exist, else waits for one. An
  // idle connection the server closed (a restart) is dropped, not lent.
  // Errors: store_unavailable when a new connection cannot be made. Blocks.
  result<postgres_lease> borrow();

  const std::string& described_as() const { return described_as_; }
  const std::string& conninfo() const { return conninfo_; }

 private:
  friend class postgres_lease;
  void give_back(std::unique_ptr<postgres_connection> connection);

  const std::string conninfo_;
  const std::string described_as_;
  const int capacity_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<postgres_connection>> idle_;
  int open_ = 0;  // idle and lent out
};

}  // namespace esk
