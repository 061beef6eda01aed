#include "sqlite_reader_pool.hpp"

#include <utility>

namespace esk {

sqlite_reader_pool::sqlite_reader_pool(connection_settings settings, std::size_t capacity)
    : settings_(std::move(settings)), capacity_(capacity) {
  all_.push_back(std::make_unique<sqlite_connection>(settings_.path, settings_.flags,
                                                     settings_.busy_timeout_ms));
  idle_.push_back(all_.back().get());
  opened_or_opening_ = 1;
}

sqlite_reader_pool::lease::lease(lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), connection_(other.connection_) {}

sqlite_reader_pool::lease::~lease() {
  if (pool_ != nullptr) pool_->give_back(*connection_);
}

sqlite_reader_pool::lease sqlite_reader_pool::check_out() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [&] { return !idle_.empty() || opened_or_opening_ < capacity_; });
  if (!idle_.empty()) {
    sqlite_connection* connection = idle_.back();
    idle_.pop_back();
    return lease(*this, *connection);
  }
  ++opened_or_opening_;
  lock.unlock();
  return lease(*this, open_one_more());
}

// Opens outside the mutex, so reads on the other connections go on meanwhile.
sqlite_connection& sqlite_reader_pool::open_one_more() {
  try {
    auto opened = std::make_unique<sqlite_connection>(settings_.path, settings_.flags,
                                                      settings_.busy_timeout_ms);
    std::lock_guard lock(mutex_);
    idle_.reserve(all_.size() + 1);  // so that give_back never allocates
    all_.push_back(std::move(opened));
    return *all_.back();
  } catch (...) {
    std::lock_guard lock(mutex_);
    --opened_or_opening_;
    returned_.notify_one();  // a read waiting for a free slot may now open it
    throw;
  }
}

void sqlite_reader_pool::give_back(sqlite_connection& connection) noexcept {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(&connection);  // room reserved when it was opened: cannot throw
  }
  returned_.notify_one();
}

}  // namespace esk
