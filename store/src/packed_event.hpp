// packed_event.hpp — a recorded event kept compactly: its type, payload and five metadata
// strings back to back in one buffer (one heap allocation instead of seven), its stream name
// shared with whoever owns it. The in-memory store keeps its log this way. Internal to store/.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "esk/store/recorded_event.hpp"

namespace esk {

class packed_event {
 public:
  // Packs `event` recorded in `*stream` at `version` and `position`. REQUIRES: `*stream`
  // outlives the packed event and never changes (e.g. the key of a node-based map).
  packed_event(const std::string* stream, std::uint64_t version, std::uint64_t position,
               const new_event& event)
      : stream_(stream), version_(version), position_(position) {
    const std::array<const std::string*, field_count> fields = {&event.type,
                                                                &event.payload,
                                                                &event.metadata.event_id,
                                                                &event.metadata.command_id,
                                                                &event.metadata.correlation_id,
                                                                &event.metadata.causation_id,
                                                                &event.metadata.recorded_at};
    std::size_t total = 0;
    for (const std::string* field : fields) total += field->size();
    text_.reserve(total);
    for (std::size_t i = 0; i < field_count; ++i) {
      text_ += *fields[i];
      ends_[i] = text_.size();
    }
  }

  std::uint64_t version() const noexcept { return version_; }
  std::uint64_t position() const noexcept { return position_; }

  // The event as recorded_event (a copy of each of its strings).
  recorded_event unpack() const {
    return {*stream_,
            version_,
            position_,
            std::string(field(0)),
            std::string(field(1)),
            {std::string(field(2)), std::string(field(3)), std::string(field(4)),
             std::string(field(5)), std::string(field(6))}};
  }

 private:
  static constexpr std::size_t field_count = 7;

  std::string_view field(std::size_t index) const noexcept {
    const std::size_t begin = index == 0 ? 0 : ends_[index - 1];
    return std::string_view(text_).substr(begin, ends_[index] - begin);
  }

  const std::string* stream_;
  std::uint64_t version_;
  std::uint64_t position_;
  std::string text_;                           // the fields, in the order of unpack()
  std::array<std::size_t, field_count> ends_;  // where each field ends in text_
};

}  // namespace esk
