// known_streams.hpp — the SQLite writer's memory of where streams stand, so an append need not
// look its stream up by name. Internal to store/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "esk/hash_index.hpp"

namespace esk {

// A stream's row in the streams table as this writer last saw or wrote it.
struct known_stream {
  std::int64_t stream_id;
  std::uint64_t version;
};

// What the writer connection knows about streams. It is only trusted while no other
// connection has committed to the file: the writer calls forget_unless_unchanged with the
// file's data_version inside each write transaction (when the write lock makes it final), and
// forget_all when a transaction does not commit, since entries written in it never happened.
// Streams are found through a flat hash index (one slot read per lookup, the name compared
// only on a hash match), so an append to a known stream costs one hash of its name.
// Not thread-safe: used under the writer's mutex.
class known_streams {
 public:
  // REQUIRES: a write transaction is open. Forgets everything unless `data_version` equals
  // the one seen at the previous call (another connection committed in between).
  void forget_unless_unchanged(std::int64_t data_version) {
    if (data_version_ != data_version) clear();
    data_version_ = data_version;
  }

  // After a rolled back or failed transaction.
  void forget_all() {
    clear();
    data_version_.reset();
  }

  // The stream's row, or nullptr when it is not known (which says nothing about the file).
  // The caller may update the row in place, as written in the open write transaction. The
  // pointer is valid until the next remember or forget.
  known_stream* find(std::string_view name) const {
    entry* known = find(name, hash_text(name));
    return known == nullptr ? nullptr : &known->row;
  }

  // Records the stream's row as written in (or read inside) the open write transaction.
  // Memory stays bounded: past `capacity` streams it starts over.
  void remember(std::string_view name, known_stream stream) {
    const std::uint64_t hash = hash_text(name);
    if (entry* known = find(name, hash)) {
      known->row = stream;
      return;
    }
    if (entries_.size() >= capacity) clear();
    entries_.push_back(entry{std::string(name), stream});
    index_.insert(hash, &entries_.back());
  }

  static constexpr std::size_t capacity = 1 << 16;

 private:
  struct entry {
    std::string name;
    known_stream row;
  };

  entry* find(std::string_view name, std::uint64_t hash) const {
    return index_.find(hash, [&](const entry& candidate) { return candidate.name == name; });
  }

  void clear() {
    index_ = hash_index<entry>{};
    entries_.clear();
  }

  std::deque<entry> entries_;  // a deque: entries stay where they are as it grows
  hash_index<entry> index_;
  std::optional<std::int64_t> data_version_;  // empty: nothing checked yet
};

}  // namespace esk
