// The PostgreSQL store after the server ended its sessions (a restart, a failover, an
// administrator's pg_terminate_backend, idle_session_timeout): the next call connects anew
// instead of failing on a connection the server already closed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "esk/store/postgres_store.hpp"
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

TEST(PostgresReconnection, AReadAfterTheServerEndedTheIdleConnectionsSucceeds) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  const std::string application = "esk_read_after_end_" + std::to_string(::getpid());
  postgres_options options;
  options.connections = 2;
  auto store = opened(open_postgres_store(named(url, application), options));
  ASSERT_TRUE(store->append(make_request("orders-1", 0)).ok());

  ASSERT_EQ(testing::end_sessions_named(application), "");
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

  ASSERT_EQ(testing::end_sessions_named(application), "");
  auto appended = store->append(make_request("orders-1", 1));

  ASSERT_TRUE(appended.ok()) << appended.error_value();
  EXPECT_EQ(appended->front().position, 2u);
}

}  // namespace
}  // namespace esk
