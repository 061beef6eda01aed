#include "command_memory.hpp"

#include <algorithm>

namespace esk::actors {

std::optional<recorded_span> command_memory::find(const std::string& command_id) const {
  if (command_id.empty()) return std::nullopt;
  auto found = spans_.find(command_id);
  if (found == spans_.end()) return std::nullopt;
  return found->second;
}

void command_memory::remember(const std::string& command_id, recorded_span span) {
  if (capacity_ == 0 || command_id.empty()) return;
  auto [entry, added] = spans_.try_emplace(command_id, span);
  if (!added) return;  // the first recording is the answer
  oldest_first_.emplace_back(entry);
  if (spans_.size() > capacity_) {
    spans_.erase(oldest_first_.front());
    oldest_first_.pop_front();
  }
}

void command_memory::rebuild(const std::vector<recorded_event>& events) {
  clear();
  if (capacity_ == 0 || events.empty()) return;
  // Walk back from the newest event to the start of the capacity_-th newest command.
  std::size_t start = events.size();
  std::size_t commands = 0;
  while (start > 0 && commands < capacity_) {
    const std::string& command_id = events[start - 1].metadata.command_id;
    while (start > 0 && events[start - 1].metadata.command_id == command_id) --start;
    ++commands;
  }
  for (std::size_t index = start; index < events.size();) {
    const std::string& command_id = events[index].metadata.command_id;
    std::size_t end = index;
    while (end < events.size() && events[end].metadata.command_id == command_id) ++end;
    remember(command_id, {events[index].version, end - index});
    index = end;
  }
}

void command_memory::clear() {
  spans_.clear();
  oldest_first_ = {};
}

}  // namespace esk::actors
