#include "esk/store/event_store.hpp"

namespace esk {

result<std::vector<recorded_event>> event_store::append(const append_request& request) {
  auto results = append_batch({request});
  return std::move(results.front());
}

std::vector<result<std::vector<recorded_event>>> event_store::append_batch_moving(
    std::vector<append_request>&& requests) {
  return append_batch(requests);
}

void event_store::append_batch_moving_into(
    std::vector<append_request>&& requests,
    std::vector<result<std::vector<recorded_event>>>& results) {
  results = append_batch_moving(std::move(requests));
}

result<std::vector<recorded_event>> event_store::read_stream_to_rehydrate(
    const std::string& stream, std::uint64_t from_version) {
  return read_stream(stream, from_version);
}

status event_store::read_stream_into(std::vector<recorded_event>& page, const std::string& stream,
                                     std::uint64_t from_version, std::size_t limit) {
  auto events = read_stream(stream, from_version, limit);
  if (!events) return events.error_value();
  page = std::move(*events);
  return {};
}

status event_store::read_stream_to_rehydrate_into(std::vector<recorded_event>& page,
                                                  const std::string& stream,
                                                  std::uint64_t from_version, std::size_t limit) {
  return read_stream_into(page, stream, from_version, limit);
}

status event_store::read_all_into(std::vector<recorded_event>& page, std::uint64_t from_position,
                                  std::size_t limit) {
  auto events = read_all(from_position, limit);
  if (!events) return events.error_value();
  page = std::move(*events);
  return {};
}

}  // namespace esk

namespace esk {

status event_store::write_snapshot(const snapshot& taken) {
  return error{error_kind::store_unavailable,
               "cannot write a snapshot of '" + taken.stream + "': this store keeps no snapshots"};
}

result<std::optional<snapshot>> event_store::read_snapshot(const std::string&) {
  return std::optional<snapshot>{};
}

status event_store::save_checkpoint(const std::string& projection, std::uint64_t) {
  return error{error_kind::store_unavailable, "cannot save the checkpoint of projection '" +
                                                  projection +
                                                  "': this store keeps no checkpoints"};
}

status event_store::save_checkpoint_unsynced(const std::string& projection,
                                             std::uint64_t position) {
  return save_checkpoint(projection, position);  // durable is never less than asked
}

result<std::uint64_t> event_store::read_checkpoint(const std::string& projection) {
  return error{error_kind::store_unavailable, "cannot read the checkpoint of projection '" +
                                                  projection +
                                                  "': this store keeps no checkpoints"};
}

gap_wait_statistics event_store::gap_waits() const { return {}; }

result<std::unique_ptr<commit_listener>> event_store::listen_for_commits() {
  return std::unique_ptr<commit_listener>{};
}

}  // namespace esk
