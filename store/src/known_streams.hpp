// known_streams.hpp — the SQLite writer's memory of where streams stand, so an append need not
// look its stream up by name. Internal to store/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

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
// Not thread-safe: used under the writer's mutex.
class known_streams {
 public:
  // REQUIRES: a write transaction is open. Forgets everything unless `data_version` equals
  // the one seen at the previous call (another connection committed in between).
  void forget_unless_unchanged(std::int64_t data_version) {
    if (data_version_ != data_version) streams_.clear();
    data_version_ = data_version;
  }

  // After a rolled back or failed transaction.
  void forget_all() {
    streams_.clear();
    data_version_.reset();
  }

  // The stream's row, or nullptr when it is not known (which says nothing about the file).
  const known_stream* find(const std::string& name) const {
    auto found = streams_.find(name);
    return found == streams_.end() ? nullptr : &found->second;
  }

  // Records the stream's row as written in (or read inside) the open write transaction.
  // Memory stays bounded: past `capacity` streams it starts over.
  void remember(const std::string& name, known_stream stream) {
    if (streams_.size() >= capacity && streams_.find(name) == streams_.end()) streams_.clear();
    streams_.insert_or_assign(name, stream);
  }

  static constexpr std::size_t capacity = 1 << 16;

 private:
  std::unordered_map<std::string, known_stream> streams_;
  std::optional<std::int64_t> data_version_;  // empty: nothing checked yet
};

}  // namespace esk
