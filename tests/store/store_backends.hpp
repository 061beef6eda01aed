// store_backends.hpp — every event store backend, opened empty for one test, and the fixture
// that the contract suites (store_contract_test.cpp, store_page_read_test.cpp) share.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "esk/store/memory_store.hpp"
#include "esk/store/postgres_store.hpp"
#include "esk/store/sqlite_store.hpp"
#include "postgres_test_server.hpp"
#include "temporary_directory.hpp"

namespace esk::testing {

struct memory_backend {
  static constexpr const char* name = "Memory";
  std::shared_ptr<event_store> open() { return make_memory_store(); }
};

struct sqlite_backend {
  static constexpr const char* name = "Sqlite";
  temporary_directory directory;
  std::shared_ptr<event_store> open() {
    auto opened = open_sqlite_store(directory.file("events.db"));
    if (!opened) throw std::runtime_error(opened.error_value().message);
    return *opened;
  }
};

// A schema of its own on the binary's throwaway PostgreSQL server; no store (the test skips)
// when the server binaries are absent.
struct postgres_backend {
  static constexpr const char* name = "Postgres";
  std::shared_ptr<event_store> open() {
    const std::string url = postgres_url_or_skip();
    if (url.empty()) return nullptr;
    auto opened = open_postgres_store(url);
    if (!opened) throw std::runtime_error(opened.error_value().message);
    return *opened;
  }
};

struct backend_name {
  template <class Backend>
  static std::string GetName(int) {
    return Backend::name;
  }
};

template <class Backend>
class store_fixture : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!store) GTEST_SKIP() << Backend::name << " is not available here";
  }

  // Appends and asserts success; returns the recorded events.
  std::vector<recorded_event> append_ok(const append_request& request) {
    auto appended = store->append(request);
    EXPECT_TRUE(appended.ok()) << appended.error_value();
    return appended.ok() ? *appended : std::vector<recorded_event>{};
  }

  std::vector<recorded_event> read_stream(const std::string& stream, std::uint64_t from = 1,
                                          std::size_t limit = SIZE_MAX) {
    auto events = store->read_stream(stream, from, limit);
    EXPECT_TRUE(events.ok()) << events.error_value();
    return events.ok() ? *events : std::vector<recorded_event>{};
  }

  std::vector<recorded_event> read_all(std::uint64_t from = 1, std::size_t limit = SIZE_MAX) {
    auto events = store->read_all(from, limit);
    EXPECT_TRUE(events.ok()) << events.error_value();
    return events.ok() ? *events : std::vector<recorded_event>{};
  }

  Backend backend;
  std::shared_ptr<event_store> store = backend.open();
};

using all_backends = ::testing::Types<memory_backend, sqlite_backend, postgres_backend>;

}  // namespace esk::testing
