// postgres_test_server.hpp — one throwaway PostgreSQL server per test binary: initdb into a
// temporary folder, pg_ctl on 127.0.0.1 and a free port, stopped (and the folder removed) when
// the tests end. Started at the first test that needs it; as root it runs as the unprivileged
// user "postgres". Each test gets a schema of its own on it, so tests never see each other's
// events. ESK_TEST_POSTGRES_URL names a running server to use instead; so does the first line
// of the file ESK_TEST_POSTGRES_STATE names, when it exists: tests/store/store_tests.cmake
// starts one server for a whole ctest run as a fixture (esk_postgres_test_server start|stop),
// which ctest's process per test shares.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "esk/result.hpp"
#include "esk/store/event_store.hpp"

namespace esk::testing {

// The store `store` holds; throws std::runtime_error with its message when opening failed.
inline std::shared_ptr<event_store> opened(result<std::shared_ptr<event_store>> store) {
  if (!store) throw std::runtime_error(store.error_value().message);
  return *store;
}

// A throwaway server this process started: where it runs and how to stop it.
struct throwaway_postgres {
  std::string url;     // postgresql://esk@127.0.0.1:<port>/postgres
  std::string folder;  // its data folder and logs, removed when it stops
  std::string bin;     // the folder of initdb and pg_ctl
  std::string run_as;  // "runuser -u postgres -- " as root, else ""
};

// Starts a server. Returns "" and fills `server`, or why it could not; `binaries_absent` tells
// that it could not because initdb and pg_ctl are nowhere (tests skip then).
std::string start_throwaway_postgres(throwaway_postgres& server, bool& binaries_absent);

// Stops the server (immediately: nothing in it is worth a clean shutdown) and removes its
// folder. Returns false when pg_ctl could not stop it.
bool stop_throwaway_postgres(const throwaway_postgres& server);

class postgres_test_server : public ::testing::Environment {
 public:
  // The binary's server (a GoogleTest global environment, registered when the binary loads).
  static postgres_test_server& instance();

  // Starts the server unless it runs or failed to start. Returns "" when it runs, else why it
  // cannot (the PostgreSQL binaries are absent: the caller skips; anything else: it fails).
  std::string start();

  // Whether start() found no PostgreSQL binaries (so tests skip rather than fail).
  bool binaries_absent() const { return binaries_absent_; }

  // A connection string to a schema of its own, created empty. REQUIRES: start() returned "".
  std::string fresh_schema_url();

  // The connection string of the server's database, with no schema chosen.
  const std::string& url() const { return url_; }

  void TearDown() override;

 private:
  std::string started_problem_;
  bool tried_ = false;
  bool binaries_absent_ = false;
  bool owned_ = false;  // this process started the server (and stops it)
  throwaway_postgres server_;
  std::string url_;
  int schemas_ = 0;
};

// Ends every session named `application` (application_name in its connection string) as a
// server shutting down does: the server says goodbye and closes the socket. Returns once the
// server shows none of them (at most 30 s); "" when done, else what went wrong.
std::string end_sessions_named(const std::string& application);

// Skips the current test (with the reason printed) when the PostgreSQL binaries are absent,
// and fails it when the server could not start; else returns a fresh schema's connection
// string. Use as: auto url = postgres_url_or_skip(); if (url.empty()) return;
std::string postgres_url_or_skip();

}  // namespace esk::testing
