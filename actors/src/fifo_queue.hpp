// A first-in first-out queue that allocates nothing until its first push and keeps one
// contiguous buffer between bursts. An aggregate actor's queue of waiting work is one of these:
// a std::deque allocates about 600 bytes as soon as it is constructed, which a million idle
// aggregate actors would pay for nothing. Internal to the actors layer.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace esk::actors {

template <class T>
class fifo_queue {
 public:
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }

  // REQUIRES: !empty().
  T& front() { return items_[head_]; }

  // Removes the front item. REQUIRES: !empty(). Amortized O(1): the consumed prefix is
  // dropped once it is more than half of the buffer, so a queue that never drains (a steady
  // stream of work) does not grow.
  void pop_front() {
    items_[head_] = T{};  // release what it held now, not at the next compaction
    if (++head_ == items_.size()) {
      items_.clear();
      head_ = 0;
    } else if (head_ >= compact_above && head_ * 2 > items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

  template <class... Args>
  void emplace_back(Args&&... args) {
    items_.emplace_back(std::forward<Args>(args)...);
  }

  // Puts `item` first. O(1) after a pop_front, else O(size()) (a rare path: work put back).
  void emplace_front(T item) {
    if (head_ > 0)
      items_[--head_] = std::move(item);
    else
      items_.insert(items_.begin(), std::move(item));
  }

 private:
  static constexpr std::size_t compact_above = 32;
  std::vector<T> items_;
  std::size_t head_ = 0;  // index of the front item
};

}  // namespace esk::actors
