// tools_test_support.hpp — what the tools tests share: a store file with known events.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "esk/identifiers.hpp"
#include "esk/store/sqlite_store.hpp"

namespace esk::testing {

// Appends `count` events of `type` to `stream` in the SQLite store at `path` (created if
// missing), continuing the stream's version. Fails the test on any error.
inline void append_events(const std::string& path, const std::string& stream,
                          const std::string& type, int count) {
  auto store = open_sqlite_store(path);
  ASSERT_TRUE(store) << store.error_value();
  auto version = (*store)->stream_version(stream);
  ASSERT_TRUE(version) << version.error_value();
  append_request request{stream, *version, {}};
  for (int index = 0; index < count; ++index) {
    event_metadata metadata{new_unique_id(), new_unique_id(), "", "", utc_timestamp_now()};
    request.events.push_back(
        {type, "{\"n\":" + std::to_string(*version + index + 1) + "}", metadata});
  }
  auto appended = (*store)->append(request);
  ASSERT_TRUE(appended) << appended.error_value();
}

// How many lines `text` holds.
inline std::size_t line_count(const std::string& text) {
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

}  // namespace esk::testing
