#include "postgres_pool.hpp"

namespace esk {

postgres_lease::~postgres_lease() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->give_back(std::move(connection_));
}

result<postgres_lease> postgres_pool::borrow() {
  std::unique_lock<std::mutex> lock{mutex_};
  returned_.wait(lock, [&] { return !idle_.empty() || open_ < capacity_; });
  while (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    if (!connection->closed_by_server_while_idle())
      return postgres_lease{*this, std::move(connection)};
    // The server ended it (a restart, say): lent out, it would fail the caller's statement,
    // and an append's as "outcome unknown" though nothing reached the server.
    --open_;
  }
  ++open_;
  lock.unlock();
  auto connected = postgres_connection::connect(conninfo_, described_as_);
  if (!connected) {
    lock.lock();
    --open_;
    returned_.notify_one();
    return connected.error_value();
  }
  return postgres_lease{*this, std::move(*connected)};
}

void postgres_pool::give_back(std::unique_ptr<postgres_connection> connection) {
  std::lock_guard<std::mutex> lock{mutex_};
  // A broken connection is dropped: the next borrow connects anew.
  if (connection->healthy()) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
  returned_.notify_one();
}

}  // namespace esk
