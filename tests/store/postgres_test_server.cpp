#include "postgres_test_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

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

std::string postgres_test_server::start() {
  if (tried_) return started_problem_;
  tried_ = true;
  if (const char* shared = std::getenv("ESK_TEST_POSTGRES_URL"); shared && *shared) {
    url_ = shared;
    return "";
  }
  bin_ = find_server_binaries();
  if (bin_.empty()) {
    binaries_absent_ = true;
    return started_problem_ =
               "PostgreSQL server binaries (initdb, pg_ctl) are absent: install Debian's "
               "'postgresql' (scripts/setup.sh does)";
  }
  std::string pattern = (fs::temp_directory_path() / "esk-postgres-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) return started_problem_ = "mkdtemp failed";
  folder_ = pattern;
  if (::geteuid() == 0) {
    // initdb refuses to run as root: the server runs as the unprivileged "postgres".
    const passwd* user = ::getpwnam("postgres");
    if (user == nullptr) return started_problem_ = "running as root and no user 'postgres' exists";
    if (::chown(folder_.c_str(), user->pw_uid, user->pw_gid) != 0)
      return started_problem_ = "cannot hand " + folder_ + " to user postgres";
    run_as_ = "runuser -u postgres -- ";
  }
  const std::string data = folder_ + "/data";
  const std::string initdb = run_as_ + bin_ + "/initdb -D " + data +
                             " -U esk -A trust -E UTF8 --locale=C --no-sync > " + folder_ +
                             "/initdb.log 2>&1";
  if (std::system(initdb.c_str()) != 0)
    return started_problem_ = "initdb failed: " + read_file(folder_ + "/initdb.log");
  // A port taken between the probe and the server's bind fails the start: try a few.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int port = free_loopback_port();
    const std::string pg_ctl =
        run_as_ + bin_ + "/pg_ctl -D " + data + " -l " + folder_ + "/server.log -w -t 60 -o \"" +
        "-c listen_addresses=127.0.0.1 -p " + std::to_string(port) +
        " -c unix_socket_directories=" + folder_ +
        " -c fsync=off -c full_page_writes=off -c max_connections=200\" start > " + folder_ +
        "/pg_ctl.log 2>&1";
    if (std::system(pg_ctl.c_str()) == 0) {
      owned_ = true;
      url_ = "postgresql://esk@127.0.0.1:" + std::to_string(port) + "/postgres";
      std::printf("[ postgres ] test server at %s (%s)\n", url_.c_str(), folder_.c_str());
      return "";
    }
  }
  return started_problem_ = "pg_ctl start failed: " + read_file(folder_ + "/server.log");
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
  if (owned_) {
    const std::string stop =
        run_as_ + bin_ + "/pg_ctl -D " + folder_ + "/data -m immediate -w stop > /dev/null 2>&1";
    if (std::system(stop.c_str()) != 0)
      std::fprintf(stderr, "[ postgres ] could not stop the test server in %s\n", folder_.c_str());
    owned_ = false;
  }
  if (!folder_.empty()) {
    std::error_code ignored;  // a leftover temporary folder harms no test
    fs::remove_all(folder_, ignored);
    folder_.clear();
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
