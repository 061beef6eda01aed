// runtime_test_support.hpp — what several runtime test files share: the two store backends the
// runtime runs on, a projection that records what it saw, and assertions that print the
// esk::error when a result is not what was expected.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "../store/temporary_directory.hpp"
#include "esk/log_sink.hpp"
#include "esk/projection.hpp"
#include "esk/result.hpp"
#include "esk/runtime.hpp"
#include "esk/store/memory_store.hpp"
#include "esk/store/sqlite_store.hpp"

namespace esk::testing {

// The in-memory store. open() returns the same store every time.
struct memory_backend {
  static constexpr const char* name = "Memory";
  std::shared_ptr<event_store> store = make_memory_store();
  std::shared_ptr<event_store> open() { return store; }
};

// A SQLite file in a fresh directory. Each open() is a new connection to the same file, as a
// second process would have, so what it reads was really written to the file.
struct sqlite_backend {
  static constexpr const char* name = "Sqlite";
  temporary_directory directory;
  std::string path = directory.file("events.db");
  std::shared_ptr<event_store> open() {
    auto opened = open_sqlite_store(path);
    if (!opened)
      throw std::runtime_error("cannot open " + path + ": " + opened.error_value().message);
    return *opened;
  }
};

// Names typed tests after the backend: EndToEnd/Sqlite.CommandIsRecorded...
struct backend_name {
  template <class Backend>
  static std::string GetName(int) {
    return Backend::name;
  }
};

// A projection that remembers the position of every event it was given, in order.
class recording_projection : public projection {
 public:
  std::string name() const override { return "recording"; }
  void apply(const recorded_event& event) override {
    std::lock_guard<std::mutex> lock{mutex_};
    positions_.push_back(event.position);
  }
  // Thread-safe.
  std::vector<std::uint64_t> positions() const {
    std::lock_guard<std::mutex> lock{mutex_};
    return positions_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::uint64_t> positions_;
};

// Collects what a runtime logs (runtime_options::log), for tests that check a report was made.
class log_capture {
 public:
  // A sink that appends to this capture. The capture must outlive the runtime using it.
  log_sink sink() {
    return [this](std::string_view line) {
      std::lock_guard<std::mutex> lock{mutex_};
      lines_.emplace_back(line);
    };
  }
  // Every line logged so far, in order. Thread-safe.
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock{mutex_};
    return lines_;
  }
  // Whether some line contains every one of `parts`. Thread-safe.
  bool has_line_with(std::initializer_list<std::string> parts) const {
    for (const auto& line : lines()) {
      bool all = true;
      for (const auto& part : parts) all = all && line.find(part) != std::string::npos;
      if (all) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

// Runtime options whose log goes to `log` (which must outlive the runtime).
inline runtime_options logged_to(log_capture& log) {
  runtime_options options;
  options.log = log.sink();
  return options;
}

// Success, or the error the result holds.
template <class T>
::testing::AssertionResult succeeded(const result<T>& outcome) {
  if (outcome.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "failed with " << outcome.error_value();
}

// Fails with `kind`, or says what it held instead.
template <class T>
::testing::AssertionResult failed_with(const result<T>& outcome, error_kind kind) {
  if (outcome.ok())
    return ::testing::AssertionFailure() << "succeeded, expected " << to_string(kind);
  if (outcome.kind() == kind) return ::testing::AssertionSuccess() << outcome.error_value();
  return ::testing::AssertionFailure()
         << "failed with " << outcome.error_value() << ", expected " << to_string(kind);
}

// `text` contains `part`.
inline ::testing::AssertionResult contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

}  // namespace esk::testing
