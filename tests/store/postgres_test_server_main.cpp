// esk_postgres_test_server start|stop <state file>: one throwaway PostgreSQL for a whole ctest
// run (a fixture), so that ctest's process per test does not start a server each. `start`
// writes the server's URL, folder, binaries and user to the state file (the tests read the
// URL through ESK_TEST_POSTGRES_STATE); without PostgreSQL binaries it writes no file and
// succeeds, and each test skips saying why. `stop` stops the server the file names.
#include <cstdio>
#include <fstream>
#include <string>

#include "postgres_test_server.hpp"

namespace {

using esk::testing::throwaway_postgres;

bool read_state(const std::string& path, throwaway_postgres& server) {
  std::ifstream file{path};
  return std::getline(file, server.url) && std::getline(file, server.folder) &&
         std::getline(file, server.bin) && std::getline(file, server.run_as);
}

void stop_recorded(const std::string& path) {
  throwaway_postgres server;
  if (read_state(path, server) && !esk::testing::stop_throwaway_postgres(server))
    std::fprintf(stderr, "could not stop the server in %s\n", server.folder.c_str());
  std::remove(path.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc == 3 ? argv[1] : "";
  if (command != "start" && command != "stop") {
    std::fprintf(stderr, "usage: esk_postgres_test_server start|stop <state file>\n");
    return 4;
  }
  const std::string path = argv[2];
  stop_recorded(path);  // a server a crashed run left behind
  if (command == "stop") return 0;
  throwaway_postgres server;
  bool binaries_absent = false;
  const std::string problem = esk::testing::start_throwaway_postgres(server, binaries_absent);
  if (!problem.empty()) {
    std::printf("no PostgreSQL test server: %s\n", problem.c_str());
    // Stops nothing when nothing started; removes the folder either way.
    if (!server.folder.empty()) esk::testing::stop_throwaway_postgres(server);
    return binaries_absent ? 0 : 1;
  }
  std::ofstream{path} << server.url << '\n'
                      << server.folder << '\n'
                      << server.bin << '\n'
                      << server.run_as << '\n';
  std::printf("PostgreSQL test server at %s (%s)\n", server.url.c_str(), server.folder.c_str());
  return 0;
}
