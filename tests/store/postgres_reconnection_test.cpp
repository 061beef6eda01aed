// The PostgreSQL store after the server ended its sessions (a restart, a failover, an
// administrator's pg_terminate_backend, idle_session_timeout): the next call connects anew
// instead of failing on a connection the server already closed.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <string>

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

// The TCP keepalive idle time (seconds) of `connection`'s socket; 0 when keepalive is off.
int keepalive_idle(const postgres_connection& connection) {
  int on = 0, idle = 0;
  socklen_t size = sizeof on;
  ::getsockopt(PQsocket(connection.handle()), SOL_SOCKET, SO_KEEPALIVE, &on, &size);
  size = sizeof idle;
  ::getsockopt(PQsocket(connection.handle()), IPPROTO_TCP, TCP_KEEPIDLE, &idle, &size);
  return on != 0 ? idle : 0;
}

TEST(PostgresConnecting, AnIdleConnectionProbesItsServerAfterThirtySeconds) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;

  auto connection = postgres_connection::connect(url, "");

  ASSERT_TRUE(connection.ok()) << connection.error_value();
  EXPECT_EQ(keepalive_idle(**connection), 30)
      << "a server gone without a word (a crashed host, a NAT that forgot the flow) would go "
         "unnoticed by a commit listener for the system's two hours";
}

TEST(PostgresConnecting, AStatementToAVanishedServerFailsWithinAMinute) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;

  auto connection = postgres_connection::connect(url, "");

  ASSERT_TRUE(connection.ok()) << connection.error_value();
  unsigned int timeout_ms = 0;
  socklen_t size = sizeof timeout_ms;
  ASSERT_EQ(::getsockopt(PQsocket((*connection)->handle()), IPPROTO_TCP, TCP_USER_TIMEOUT,
                         &timeout_ms, &size),
            0);
  EXPECT_EQ(timeout_ms, 60000u) << "unacknowledged bytes would be retransmitted for ~15 minutes";
}

TEST(PostgresConnecting, TheConnectionStringsKeepaliveSettingsWin) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;

  auto connection = postgres_connection::connect(url + "&keepalives_idle=45", "");

  ASSERT_TRUE(connection.ok()) << connection.error_value();
  EXPECT_EQ(keepalive_idle(**connection), 45);
}

TEST(PostgresConnecting, AMalformedConnectionStringIsInvalidArgument) {
  auto opened = open_postgres_store("postgresql://esk@127.0.0.1:1/events?no_such_parameter=1");

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error_value().kind, error_kind::invalid_argument) << opened.error_value();
  EXPECT_NE(opened.error_value().message.find("no_such_parameter"), std::string::npos);
}

// A loopback port that accepts connections (the kernel completes them) and never answers, as
// a hung server or another program's port does. Closed when it goes.
class silent_port {
 public:
  silent_port() : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::listen(socket_, 8) == 0 &&
        ::getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
      port_ = ntohs(address.sin_port);
  }
  ~silent_port() { close(); }
  // Stops listening: the kernel resets the connections nobody accepted.
  void close() {
    if (socket_ >= 0) ::close(socket_);
    socket_ = -1;
  }
  silent_port(const silent_port&) = delete;
  silent_port& operator=(const silent_port&) = delete;

  int port() const { return port_; }

 private:
  int socket_;
  int port_ = 0;
};

TEST(PostgresConnecting, AServerThatNeverAnswersFailsTheOpenWithinTheConnectTimeout) {
  silent_port silent;
  ASSERT_NE(silent.port(), 0);
  const std::string url = "postgresql://esk@127.0.0.1:" + std::to_string(silent.port()) + "/events";

  auto opening = std::async(std::launch::async, [&] { return open_postgres_store(url); });
  const bool gave_up_in_time =
      opening.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  silent.close();  // ends a wait that never would (without the timeout) so the test ends
  auto opened = opening.get();

  EXPECT_TRUE(gave_up_in_time) << "still connecting after 30 s; the default timeout is 10 s";
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error_value().kind, error_kind::store_unavailable);
  EXPECT_NE(opened.error_value().message.find("timeout"), std::string::npos)
      << opened.error_value();
}

TEST(PostgresConnecting, TheConnectionStringsConnectTimeoutWins) {
  silent_port silent;
  ASSERT_NE(silent.port(), 0);
  const auto started = std::chrono::steady_clock::now();

  auto opened = open_postgres_store("postgresql://esk@127.0.0.1:" + std::to_string(silent.port()) +
                                    "/events?connect_timeout=2");

  ASSERT_FALSE(opened.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(8));
}

}  // namespace
}  // namespace esk
