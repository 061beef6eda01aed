#include "command_memory.hpp"

#include <cstring>
#include <functional>

namespace esk::actors {
namespace {

// Up to this many remembered IDs, comparing hashes one by one beats an index.
constexpr std::size_t scanned_at_most = 8;

std::size_t hash_of(std::string_view command_id) {
  return std::hash<std::string_view>{}(command_id);
}

}  // namespace

std::optional<recorded_span> command_memory::find(const std::string& command_id) const {
  if (command_id.empty() || ring_.empty()) return std::nullopt;
  const std::size_t slot = slot_of(command_id, hash_of(command_id));
  if (slot == npos) return std::nullopt;
  return ring_[slot].span;
}

void command_memory::remember(const std::string& command_id, recorded_span span) {
  if (capacity_ == 0 || command_id.empty()) return;
  const std::size_t hash = hash_of(command_id);
  if (slot_of(command_id, hash) != npos) return;  // the first recording is the answer
  if (ring_.size() < capacity_) {
    ring_.push_back({hash, stored_id{command_id}, span});
    grow_index_if_needed();
    if (!index_.empty()) index_insert(ring_.size() - 1);
    return;
  }
  // Full: the newest takes the oldest one's slot (and a long ID's buffer).
  const std::size_t slot = next_;
  next_ = next_ + 1 == capacity_ ? 0 : next_ + 1;
  if (!index_.empty()) index_erase(slot);
  remembered& entry = ring_[slot];
  entry.hash = hash;
  entry.command_id.assign(command_id);
  entry.span = span;
  if (!index_.empty()) index_insert(slot);
}

void command_memory::stored_id::assign(std::string_view id) {
  length_ = id.size();
  if (length_ <= inline_capacity) {
    std::memcpy(inline_, id.data(), length_);
    long_.clear();
  } else {
    long_.assign(id);
  }
}

void command_memory::clear() {
  ring_.clear();
  index_.clear();
  next_ = 0;
}

std::size_t command_memory::slot_of(std::string_view command_id, std::size_t hash) const {
  const auto matches = [&](const remembered& entry) {
    return entry.hash == hash && entry.command_id.view() == command_id;
  };
  if (index_.empty()) {
    for (std::size_t slot = 0; slot < ring_.size(); ++slot)
      if (matches(ring_[slot])) return slot;
    return npos;
  }
  const std::size_t mask = index_.size() - 1;
  for (std::size_t at = home(hash); index_[at] != 0; at = (at + 1) & mask)
    if (matches(ring_[index_[at] - 1])) return index_[at] - 1;
  return npos;
}

void command_memory::index_insert(std::size_t slot) {
  const std::size_t mask = index_.size() - 1;
  std::size_t at = home(ring_[slot].hash);
  while (index_[at] != 0) at = (at + 1) & mask;
  index_[at] = static_cast<std::uint32_t>(slot + 1);
}

void command_memory::index_erase(std::size_t slot) {
  const std::size_t mask = index_.size() - 1;
  std::size_t hole = home(ring_[slot].hash);
  while (index_[hole] != slot + 1) hole = (hole + 1) & mask;
  // Backward-shift deletion: move up each later entry of the run that may not sit past the
  // hole (its home is not cyclically within (hole, at]), so no probe meets a gap too early.
  for (std::size_t at = (hole + 1) & mask; index_[at] != 0; at = (at + 1) & mask) {
    const std::size_t wanted = home(ring_[index_[at] - 1].hash);
    const bool stays =
        hole <= at ? (hole < wanted && wanted <= at) : (hole < wanted || wanted <= at);
    if (stays) continue;
    index_[hole] = index_[at];
    hole = at;
  }
  index_[hole] = 0;
}

void command_memory::grow_index_if_needed() {
  if (ring_.size() <= scanned_at_most || ring_.size() * 2 <= index_.size()) return;
  std::size_t size = 16;
  while (size < ring_.size() * 2) size *= 2;
  index_.assign(size, 0);
  for (std::size_t slot = 0; slot < ring_.size(); ++slot) index_insert(slot);
}

}  // namespace esk::actors
