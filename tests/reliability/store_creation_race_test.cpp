// Several processes opening one store file that does not exist yet (or is an empty file) at
// the same moment: each must find or create the same store and append to it. None may take a
// half-created file for "a database of another application" or give up on the write lock.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../store/temporary_directory.hpp"
#include "child_process.hpp"
#include "esk/store/sqlite_store.hpp"

namespace esk::reliability {
namespace {

constexpr int racing_processes = 8;
constexpr int rounds = 25;  // per test: two tests, 50 rounds in all

// Waits until `path` exists; false after 30 s.
bool wait_for_file(const std::string& path) {
  const auto started = std::chrono::steady_clock::now();
  while (::access(path.c_str(), F_OK) != 0) {
    if (std::chrono::steady_clock::now() - started > std::chrono::seconds(30)) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Starts `racing_processes` writers that each open `db` and append to their own stream, all
// released at once; expects every one to succeed and the store to hold all their events.
void race_to_create(const testing::temporary_directory& directory, const std::string& db,
                    int round) {
  const std::string go = directory.file("go-" + std::to_string(round));
  std::vector<std::unique_ptr<child_process>> writers;
  std::set<std::string> streams;
  for (int writer = 0; writer < racing_processes; ++writer) {
    const std::string stream = "Racer-" + std::to_string(writer);
    streams.insert(stream);
    writers.push_back(std::make_unique<child_process>(
        ESK_RELIABILITY_WRITER,
        std::vector<std::string>{
            "create", db, directory.file(stream + ".ready-" + std::to_string(round)), go, stream}));
  }
  for (int writer = 0; writer < racing_processes; ++writer) {
    const std::string ready =
        directory.file("Racer-" + std::to_string(writer) + ".ready-" + std::to_string(round));
    ASSERT_TRUE(wait_for_file(ready)) << "writer " << writer << " never got ready";
  }
  std::ofstream{go} << "go\n";
  for (int writer = 0; writer < racing_processes; ++writer) {
    const int status = writers[writer]->wait();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "round " << round << ": writer " << writer << " " << describe_wait_status(status)
        << " (its error is on stderr above)";
  }
  sqlite_options read_only;
  read_only.read_only = true;
  auto store = open_sqlite_store(db, read_only);
  ASSERT_TRUE(store) << store.error_value();
  auto events = (*store)->read_all();
  ASSERT_TRUE(events) << events.error_value();
  std::set<std::string> written;
  for (const auto& event : *events) written.insert(event.stream);
  EXPECT_EQ(events->size(), static_cast<std::size_t>(racing_processes)) << "round " << round;
  EXPECT_EQ(written, streams) << "round " << round;
}

TEST(StoreCreationRace, EightProcessesCreatingOneNewStoreAllSucceed) {
  testing::temporary_directory directory;
  for (int round = 0; round < rounds && !HasFailure(); ++round) {
    race_to_create(directory, directory.file("new-" + std::to_string(round) + ".db"), round);
  }
}

TEST(StoreCreationRace, EightProcessesOpeningOneEmptyFileAllSucceed) {
  testing::temporary_directory directory;
  for (int round = 0; round < rounds && !HasFailure(); ++round) {
    const std::string db = directory.file("empty-" + std::to_string(round) + ".db");
    std::ofstream{db};
    race_to_create(directory, db, round);
  }
}

}  // namespace
}  // namespace esk::reliability
