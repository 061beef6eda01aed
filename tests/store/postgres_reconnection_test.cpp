// The PostgreSQL store after the server ended its sessions (a restart, a failover, an
// administrator's pg_terminate_backend, idle_session_timeout): the next call connects anew
// instead of failing on a connection the server already closed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "esk/store/postgres_store.hpp"
#include "postgres_connection.hpp"
#include "postgres_test_server.hpp"
#include "store_test_events.hpp"

namespace esk {
namespace {

using testing::make_request;
using testing::opened;

// `url` (which has a query already) with its sessions named `application`.
std::string named(const std::string& url, const std::string& application) {
  return url + "&application_name=" + application;
}

// Ends every session named `application` as a server shutting down does (the server says
// goodbye and closes the socket), and waits until the server shows none of them.
void end_sessions(const std::string& application) {
  auto admin = postgres_connection::connect(testing::postgres_test_server::instance().url(), "");
  ASSERT_TRUE(admin.ok()) << admin.error_value();
  auto ended = (*admin)->run(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
      " WHERE application_name = $1",
      {application});
  ASSERT_TRUE(ended.ok()) << ended.error_value();
  ASSERT_NE(ended->text(0, 0), "0") << "no session of " << application << " to end";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    auto left = (*admin)->run("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                              {application});
    ASSERT_TRUE(left.ok()) << left.error_value();
    if (left->text(0, 0) == "0") return;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the sessions did not end";
    // Polling the server's view of other sessions: no event tells us a backend exited.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST(PostgresReconnection, AReadAfterTheServerEndedTheIdleConnectionsSucceeds) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  const std::string application = "esk_read_after_end_" + std::to_string(::getpid());
  postgres_options options;
  options.connections = 2;
  auto store = opened(open_postgres_store(named(url, application), options));
  ASSERT_TRUE(store->append(make_request("orders-1", 0)).ok());

  end_sessions(application);
  auto events = store->read_stream("orders-1", 1, 10);

  ASSERT_TRUE(events.ok()) << events.error_value();
  EXPECT_EQ(events->size(), 1u);
}

TEST(PostgresReconnection, AnAppendAfterTheServerEndedTheIdleConnectionsCommits) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  const std::string application = "esk_append_after_end_" + std::to_string(::getpid());
  auto store = opened(open_postgres_store(named(url, application)));
  ASSERT_TRUE(store->append(make_request("orders-1", 0)).ok());

  end_sessions(application);
  auto appended = store->append(make_request("orders-1", 1));

  ASSERT_TRUE(appended.ok()) << appended.error_value();
  EXPECT_EQ(appended->front().position, 2u);
}

}  // namespace
}  // namespace esk
