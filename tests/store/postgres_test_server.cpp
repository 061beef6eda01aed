#include "postgres_test_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "postgres_connection.hpp"

namespace esk::testing {
namespace {

namespace fs = std::filesystem;

// The folder of Debian's server binaries (the newest version), else the one pg_ctl is in on
// the PATH; "" when there is none.
std::string find_server_binaries() {
  std::string newest;
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ignored)) {
    const auto bin = entry.path() / "bin";
    if (fs::exists(bin / "pg_ctl") && fs::exists(bin / "initdb") &&
        (newest.empty() || bin.string() > newest))
      newest = bin.string();
  }
  if (!newest.empty()) return newest;
  const char* path = std::getenv("PATH");
  std::stringstream folders{path == nullptr ? "" : path};
  for (std::string folder; std::getline(folders, folder, ':');) {
    if (fs::exists(fs::path(folder) / "pg_ctl") && fs::exists(fs::path(folder) / "initdb"))
      return folder;
  }
  return "";
}

int free_loopback_port() {
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  int port = 0;
  if (::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) == 0)
    port = ntohs(address.sin_port);
  ::close(probe);
  return port;
}

std::string read_file(const std::string& path) {
  std::ifstream in{path};
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

postgres_test_server& postgres_test_server::instance() {
  // GoogleTest owns (and deletes) a registered environment; it lives until the binary ends.
  static postgres_test_server* server = [] {
    auto* created = new postgres_test_server;
    ::testing::AddGlobalTestEnvironment(created);
    return created;
  }();
  return *server;
}

// Registers the environment as the binary loads, so TearDown runs even if no test used it.
static postgres_test_server& registered = postgres_test_server::instance();

std::string start_throwaway_postgres(throwaway_postgres& server, bool& binaries_absent) {
  binaries_absent = false;
  server.bin = find_server_binaries();
  if (server.bin.empty()) {
    binaries_absent = true;
    return "PostgreSQL server binaries (initdb, pg_ctl) are absent: install Debian's "
           "'postgresql' (scripts/setup.sh does)";
  }
  std::string pattern = (fs::temp_directory_path() / "esk-postgres-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return "mkdtemp failed";
  server.folder = pattern;
  if (::geteuid() == 0) {
    // initdb refuses to run as root: the server runs as the unprivileged "postgres".
    const passwd* user = ::getpwnam("postgres");
    if (user == nullptr) return "running as root and no user 'postgres' exists";
    if (::chown(server.folder.c_str(), user->pw_uid, user->pw_gid) != 0)
      return "cannot hand " + server.folder + " to user postgres";
    server.run_as = "runuser -u postgres -- ";
  }
  const std::string& folder = server.folder;
  const std::string initdb = server.run_as + server.bin + "/initdb -D " + folder +
                             "/data -U esk -A trust -E UTF8 --locale=C --no-sync > " + folder +
                             "/initdb.log 2>&1";
  if (std::system(initdb.c_str()) != 0)
    return "initdb failed: " + read_file(folder + "/initdb.log");
  // A port taken between the probe and the server's bind fails the start: try a few.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int port = free_loopback_port();
    const std::string pg_ctl =
        server.run_as + server.bin + "/pg_ctl -D " + folder + "/data -l " + folder +
        "/server.log -w -t 60 -o \"-c listen_addresses=127.0.0.1 -p " + std::to_string(port) +
        " -c unix_socket_directories=" + folder +
        " -c fsync=off -c full_page_writes=off -c max_connections=200\" start > " + folder +
        "/pg_ctl.log 2>&1";
    if (std::system(pg_ctl.c_str()) == 0) {
      server.url = "postgresql://esk@127.0.0.1:" + std::to_string(port) + "/postgres";
      return "";
    }
  }
  return "pg_ctl start failed: " + read_file(folder + "/server.log");
}

bool stop_throwaway_postgres(const throwaway_postgres& server) {
  const std::string stop = server.run_as + server.bin + "/pg_ctl -D " + server.folder +
                           "/data -m immediate -w stop > /dev/null 2>&1";
  const bool stopped = std::system(stop.c_str()) == 0;
  std::error_code ignored;  // a leftover temporary folder harms no test
  fs::remove_all(server.folder, ignored);
  return stopped;
}

std::string postgres_test_server::start() {
  if (tried_) return started_problem_;
  tried_ = true;
  if (const char* shared = std::getenv("ESK_TEST_POSTGRES_URL"); shared && *shared) {
    url_ = shared;
    return "";
  }
  if (const char* state = std::getenv("ESK_TEST_POSTGRES_STATE"); state && *state) {
    std::ifstream file{state};
    if (std::getline(file, url_) && !url_.empty()) return "";
  }
  started_problem_ = start_throwaway_postgres(server_, binaries_absent_);
  if (!started_problem_.empty()) {
    if (!server_.folder.empty()) stop_throwaway_postgres(server_);
    return started_problem_;
  }
  owned_ = true;
  url_ = server_.url;
  std::printf("[ postgres ] test server at %s (%s)\n", url_.c_str(), server_.folder.c_str());
  return "";
}

std::string postgres_test_server::fresh_schema_url() {
  const std::string schema =
      "esk_test_" + std::to_string(::getpid()) + "_" + std::to_string(++schemas_);
  auto admin = postgres_connection::connect(url_, url_);
  if (!admin) throw std::runtime_error(admin.error_value().message);
  auto created = (*admin)->run("CREATE SCHEMA " + schema);
  if (!created) throw std::runtime_error(created.error_value().message);
  return url_ + "?options=-csearch_path%3D" + schema;
}

void postgres_test_server::TearDown() {
  if (!owned_) return;
  owned_ = false;
  if (!stop_throwaway_postgres(server_))
    std::fprintf(stderr, "[ postgres ] could not stop the test server in %s\n",
                 server_.folder.c_str());
}

std::string end_sessions_named(const std::string& application) {
  auto admin = postgres_connection::connect(postgres_test_server::instance().url(), "");
  if (!admin) return admin.error_value().message;
  auto ended = (*admin)->run(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
      " WHERE application_name = $1",
      {application});
  if (!ended) return ended.error_value().message;
  if (ended->text(0, 0) == "0") return "no session named " + application + " to end";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    auto left = (*admin)->run("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                              {application});
    if (!left) return left.error_value().message;
    if (left->text(0, 0) == "0") return "";
    if (std::chrono::steady_clock::now() > deadline) return "the sessions did not end in 30 s";
    // Polling the server's view of other sessions: no event tells us a backend exited.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string postgres_url_or_skip() {
  auto& server = postgres_test_server::instance();
  const std::string problem = server.start();
  if (problem.empty()) return server.fresh_schema_url();
  if (server.binaries_absent()) {
    std::printf("[ SKIPPED  ] %s\n", problem.c_str());
    GTEST_MESSAGE_(problem.c_str(), ::testing::TestPartResult::kSkip);
    return "";
  }
  ADD_FAILURE() << "cannot start the PostgreSQL test server: " << problem;
  return "";
}

}  // namespace esk::testing
