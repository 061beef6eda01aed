// tools_test_support.hpp — what the tools tests share: a store file with known events, and
// the standard application command line run in-process.
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "esk/app_cli.hpp"
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

// What one in-process run of the standard application command line left behind.
struct cli_outcome {
  int exit_code;
  std::string out;
  std::string err;
};

// Runs `<app.name> --db <db> args...` through esk::run_app_cli, capturing both streams.
inline cli_outcome run_app_cli_on(const app_definition& app, const std::string& db,
                                  std::vector<std::string> args) {
  args.insert(args.begin(), {app.name, "--db", db});
  std::vector<const char*> argv;
  for (const auto& arg : args) argv.push_back(arg.c_str());
  std::ostringstream out, err;
  int code = run_app_cli(app, static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

// How many lines `text` holds.
inline std::size_t line_count(const std::string& text) {
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

}  // namespace esk::testing
