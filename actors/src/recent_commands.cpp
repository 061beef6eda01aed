#include "recent_commands.hpp"

namespace esk::actors {

void recent_commands::add(const recorded_event& event) {
  if (capacity_ == 0) return;
  const std::string& command_id = event.metadata.command_id;
  if (!ring_.empty() && ring_[newest_].command_id == command_id) {
    ++ring_[newest_].span.count;
    return;
  }
  if (ring_.size() < capacity_) {
    newest_ = ring_.size();
    ring_.push_back({command_id, {event.version, 1}});
    return;
  }
  newest_ = newest_ + 1 == capacity_ ? 0 : newest_ + 1;
  command& oldest = ring_[newest_];
  oldest.command_id.assign(command_id);
  oldest.span = {event.version, 1};
}

void recent_commands::fill(command_memory& memory) const {
  memory.clear();
  if (ring_.empty()) return;
  const std::size_t oldest = ring_.size() < capacity_ ? 0 : (newest_ + 1) % ring_.size();
  for (std::size_t i = 0; i < ring_.size(); ++i) {
    const command& next = ring_[(oldest + i) % ring_.size()];
    memory.remember(next.command_id, next.span);
  }
}

}  // namespace esk::actors
