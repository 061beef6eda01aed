// log_pages.hpp — the pages of the log a projection catches up on, each read while the page
// before it is being applied: reading (SQLite's work) and applying (decoding, the handler's
// work) overlap on two cores instead of taking turns on one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "esk/result.hpp"
#include "esk/store/event_store.hpp"

namespace esk::actors {

// Pages of `page_size` events read from `store` (read_all), one read ahead on a thread of its
// own (std::async: joined when the next page is taken or when this object dies, so a read in
// progress delays the destructor by at most one page). Not thread-safe: one caller.
class log_pages {
 public:
  log_pages(std::shared_ptr<event_store> store, std::size_t page_size)
      : store_(std::move(store)), page_size_(page_size) {}

  // The events from position `from` on (at most page_size): the page read ahead when it began
  // at `from`, else read now. When the page is full and ends before `last`, starts reading the
  // page after it. Errors: those of event_store::read_all. Blocks while reading.
  result<std::vector<recorded_event>> read(std::uint64_t from, std::uint64_t last) {
    result<std::vector<recorded_event>> page = take_read_ahead(from);
    if (page && page->size() == page_size_ && page->back().position < last) {
      const std::uint64_t next = page->back().position + 1;
      ahead_from_ = next;
      ahead_ = std::async(std::launch::async, [store = store_, next, size = page_size_] {
        return store->read_all(next, size);
      });
    }
    return page;
  }

 private:
  // The page read ahead if it starts at `from` (a read ahead from elsewhere is dropped).
  result<std::vector<recorded_event>> take_read_ahead(std::uint64_t from) {
    if (ahead_.valid()) {
      auto read = ahead_.get();
      if (ahead_from_ == from) return read;
    }
    return store_->read_all(from, page_size_);
  }

  const std::shared_ptr<event_store> store_;
  const std::size_t page_size_;
  std::future<result<std::vector<recorded_event>>> ahead_;  // valid while a read ahead is kept
  std::uint64_t ahead_from_ = 0;
};

}  // namespace esk::actors
