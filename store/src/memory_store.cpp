#include "esk/store/memory_store.hpp"

#include <algorithm>
#include <deque>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include <boost/container/small_vector.hpp>

#include "append_checks.hpp"
#include "esk/hash_index.hpp"
#include "packed_event.hpp"

namespace esk {
namespace {

// The in-memory backend: the log is a vector of packed events (position = index + 1; each
// event's strings in one buffer, its stream name its stream's) and each stream keeps the log
// indices of its events (version = index + 1; the first inline, so a stream of one event
// allocates nothing for them). One shared_mutex guards both (and the snapshots
// and checkpoints), so a batch is atomic for readers. Streams are found through a flat hash
// index; list_streams sorts the names it answers with when asked.
class memory_store final : public event_store {
 public:
  std::vector<result<std::vector<recorded_event>>> append_batch(
      const std::vector<append_request>& requests) override {
    std::vector<result<std::vector<recorded_event>>> results;
    append_all(requests, results);
    return results;
  }

  // As append_batch, but the recorded events take the requests' strings instead of copies.
  std::vector<result<std::vector<recorded_event>>> append_batch_moving(
      std::vector<append_request>&& requests) override {
    std::vector<result<std::vector<recorded_event>>> results;
    append_all(requests, results);
    return results;
  }

  // As append_batch_moving, into the caller's vector (its memory reused).
  void append_batch_moving_into(
      std::vector<append_request>&& requests,
      std::vector<result<std::vector<recorded_event>>>& results) override {
    append_all(requests, results);
  }

  result<std::vector<recorded_event>> read_stream(const std::string& stream,
                                                  std::uint64_t from_version,
                                                  std::size_t limit) override {
    std::shared_lock lock(mutex_);
    std::vector<recorded_event> events;
    const stream_entry* found = find_stream(stream);
    if (found == nullptr) return events;
    const event_indices& indices = found->indices;
    std::uint64_t first = std::max<std::uint64_t>(from_version, 1) - 1;
    if (first < indices.size())
      events.reserve(std::min<std::uint64_t>(indices.size() - first, limit));
    for (std::uint64_t i = first; i < indices.size() && events.size() < limit; ++i) {
      events.push_back(log_[indices[i]].unpack());
    }
    return events;
  }

  result<std::vector<recorded_event>> read_all(std::uint64_t from_position,
                                               std::size_t limit) override {
    std::shared_lock lock(mutex_);
    std::vector<recorded_event> events;
    std::uint64_t first = std::max<std::uint64_t>(from_position, 1) - 1;
    if (first < log_.size()) events.reserve(std::min<std::uint64_t>(log_.size() - first, limit));
    for (std::uint64_t i = first; i < log_.size() && events.size() < limit; ++i) {
      events.push_back(log_[i].unpack());
    }
    return events;
  }

  result<std::uint64_t> stream_version(const std::string& stream) override {
    std::shared_lock lock(mutex_);
    return version_locked(stream);
  }

  result<std::uint64_t> last_position() override {
    std::shared_lock lock(mutex_);
    return static_cast<std::uint64_t>(log_.size());
  }

  result<std::vector<stream_info>> list_streams(const std::string& from_name,
                                                std::size_t limit) override {
    std::shared_lock lock(mutex_);
    using entry = const stream_entry*;
    std::vector<entry> chosen;
    for (const auto& named : streams_)
      if (named.name >= from_name) chosen.push_back(&named);
    const auto by_name = [](entry a, entry b) { return a->name < b->name; };
    if (chosen.size() > limit) {
      // Only the first `limit` names need sorting.
      std::nth_element(chosen.begin(), chosen.begin() + static_cast<std::ptrdiff_t>(limit),
                       chosen.end(), by_name);
      chosen.resize(limit);
    }
    std::sort(chosen.begin(), chosen.end(), by_name);
    std::vector<stream_info> infos;
    infos.reserve(chosen.size());
    for (entry named : chosen)
      infos.push_back({named->name, named->indices.size(), log_[named->indices.back()].position()});
    return infos;
  }

  status write_snapshot(const snapshot& taken) override {
    if (auto invalid = check_snapshot(taken)) return *invalid;
    std::unique_lock lock(mutex_);
    snapshots_[taken.stream] = taken;
    return {};
  }

  result<std::optional<snapshot>> read_snapshot(const std::string& stream) override {
    std::shared_lock lock(mutex_);
    auto found = snapshots_.find(stream);
    if (found == snapshots_.end()) return std::optional<snapshot>{};
    return std::optional<snapshot>{found->second};
  }

  status save_checkpoint(const std::string& projection, std::uint64_t position) override {
    if (projection.empty())
      return error{error_kind::invalid_argument, "a checkpoint needs a projection name"};
    std::unique_lock lock(mutex_);
    checkpoints_[projection] = position;
    return {};
  }

  result<std::uint64_t> read_checkpoint(const std::string& projection) override {
    std::shared_lock lock(mutex_);
    auto found = checkpoints_.find(projection);
    return found == checkpoints_.end() ? 0 : found->second;
  }

 private:
  // Appends each request in order under one lock into `results` (emptied first); copies or
  // moves as append_locked does.
  template <class Requests>
  void append_all(Requests& requests, std::vector<result<std::vector<recorded_event>>>& results) {
    results.clear();
    results.reserve(requests.size());
    std::unique_lock lock(mutex_);
    for (auto& request : requests) results.push_back(append_locked(request));
  }

  // REQUIRES: mutex_ held exclusively. Copies the events' strings out of `request`, or moves
  // them (and the stream name, into the first recorded event) when `Request` is a non-const
  // append_request (then only an appended request is changed: a refused one is left whole).
  template <class Request>
  result<std::vector<recorded_event>> append_locked(Request& request) {
    if (auto invalid = check_append_request(request)) return *invalid;
    const std::uint64_t stream_hash = hash_text(request.stream);
    stream_entry* found = find_stream(request.stream, stream_hash);
    std::uint64_t actual_version = found == nullptr ? 0 : found->indices.size();
    if (actual_version != request.expected_version) {
      return version_conflict(request.stream, request.expected_version, actual_version);
    }
    if (found == nullptr) {
      found = &streams_.emplace_back(stream_entry{request.stream, {}});
      stream_index_.insert(stream_hash, found);
    }
    event_indices& indices = found->indices;
    std::vector<recorded_event> recorded;
    recorded.reserve(request.events.size());
    for (auto& event : request.events) {
      push_index(indices, log_.size());
      // Packed first: the recorded event may take the strings the packing reads.
      log_.emplace_back(&found->name, indices.size(), log_.size() + 1, event);
      recorded.push_back(record(recorded.empty() ? take_stream(request) : found->name,
                                indices.size(), log_.size(), event));
    }
    return recorded;
  }

  // The stream name for a recorded event: a copy, or the request's own string when it is given
  // up (only once per request: the caller asks for it for the first event).
  static std::string take_stream(const append_request& request) { return request.stream; }
  static std::string take_stream(append_request& request) { return std::move(request.stream); }

  static recorded_event record(std::string stream, std::uint64_t version, std::uint64_t position,
                               const new_event& event) {
    return {std::move(stream), version, position, event.type, event.payload, event.metadata};
  }
  static recorded_event record(std::string stream, std::uint64_t version, std::uint64_t position,
                               new_event& event) {
    return {std::move(stream),
            version,
            position,
            std::move(event.type),
            std::move(event.payload),
            std::move(event.metadata)};
  }

  // The log indices of one stream's events, in version order. Most streams (one per aggregate)
  // hold few events: the first index is kept inline, so a stream of one needs no heap memory,
  // and push_index makes room for 16 when the second arrives, so a stream of up to 16 events
  // allocates once (grown one by one it would allocate several times to hold 16).
  using event_indices = boost::container::small_vector<std::size_t, 1>;
  static constexpr std::size_t indices_first_heap_capacity = 16;

  static void push_index(event_indices& indices, std::size_t log_index) {
    if (indices.size() == 1) indices.reserve(indices_first_heap_capacity);
    indices.push_back(log_index);
  }

  struct stream_entry {
    std::string name;
    event_indices indices;  // into log_
  };

  // The stream named `stream` (whose hash_text is `hash`), or null. REQUIRES: mutex_ held.
  stream_entry* find_stream(const std::string& stream, std::uint64_t hash) const {
    return stream_index_.find(hash,
                              [&](const stream_entry& entry) { return entry.name == stream; });
  }
  stream_entry* find_stream(const std::string& stream) const {
    return find_stream(stream, hash_text(stream));
  }

  // REQUIRES: mutex_ held.
  std::uint64_t version_locked(const std::string& stream) const {
    const stream_entry* found = find_stream(stream);
    return found == nullptr ? 0 : found->indices.size();
  }

  std::shared_mutex mutex_;
  std::vector<packed_event> log_;
  // A deque: the packed events point at their stream's name, which never moves (streams are
  // never removed).
  std::deque<stream_entry> streams_;
  hash_index<stream_entry> stream_index_;                       // streams_ by name
  std::unordered_map<std::string, snapshot> snapshots_;         // the last one written per stream
  std::unordered_map<std::string, std::uint64_t> checkpoints_;  // per projection name
};

}  // namespace

std::shared_ptr<event_store> make_memory_store() { return std::make_shared<memory_store>(); }

}  // namespace esk
