// `event-sourcing-kit streams|events|stats`, run as a separate process on store files.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../store/temporary_directory.hpp"
#include "process_runner.hpp"
#include "tools_test_support.hpp"

namespace esk::testing {
namespace {

process_outcome kit(const std::vector<std::string>& args) {
  return run_process(ESK_KIT_BINARY, args);
}

// Runs `sql` on the SQLite file at `path`, as another program would.
void execute_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* failure = nullptr;
  int code = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &failure);
  std::string message = failure ? failure : "";
  sqlite3_free(failure);
  sqlite3_close(db);
  ASSERT_EQ(code, SQLITE_OK) << message;
}

// A store with User-1 (2 Created/Renamed events) and Order-9 (1 Placed), in this order:
// User-1 Created, Order-9 Placed, User-1 Renamed.
class KitInspection : public ::testing::Test {
 protected:
  void SetUp() override {
    append_events(db, "User-1", "Created", 1);
    append_events(db, "Order-9", "Placed", 1);
    append_events(db, "User-1", "Renamed", 1);
  }

  temporary_directory directory;
  std::string db = directory.file("app.db");
};

TEST_F(KitInspection, StreamsListsEachStreamWithItsVersionAndEventCount) {
  auto listed = kit({"streams", db});
  EXPECT_EQ(listed.exit_code, 0) << listed.describe();
  EXPECT_EQ(listed.out,
            "STREAM   VERSION  EVENTS  LAST_POSITION\n"
            "Order-9  1        1       2\n"
            "User-1   2        2       3\n");
  EXPECT_EQ(listed.err, "");
}

TEST_F(KitInspection, StreamsAsJsonLines) {
  auto listed = kit({"streams", db, "--json"});
  EXPECT_EQ(listed.exit_code, 0) << listed.describe();
  EXPECT_EQ(listed.out, R"({"stream":"Order-9","version":1,"events":1,"last_position":2})"
                        "\n"
                        R"({"stream":"User-1","version":2,"events":2,"last_position":3})"
                        "\n");
}

TEST_F(KitInspection, EventsPrintsTheLogAsJsonLinesInPositionOrder) {
  auto listed = kit({"events", db});
  EXPECT_EQ(listed.exit_code, 0) << listed.describe();
  ASSERT_EQ(line_count(listed.out), 3u);
  EXPECT_EQ(
      listed.out.rfind(
          R"({"stream":"User-1","version":1,"position":1,"type":"Created","payload":{"n":1},)", 0),
      0u)
      << listed.out;
  EXPECT_NE(listed.out.find(R"({"stream":"Order-9","version":1,"position":2,"type":"Placed")"),
            std::string::npos);
  EXPECT_EQ(listed.err, "");
}

TEST_F(KitInspection, EventsFiltersByStreamTypePositionAndLimit) {
  EXPECT_EQ(line_count(kit({"events", db, "--stream", "User-1"}).out), 2u);
  EXPECT_EQ(line_count(kit({"events", db, "--type", "Placed"}).out), 1u);
  EXPECT_EQ(line_count(kit({"events", db, "--from", "2"}).out), 2u);
  EXPECT_EQ(line_count(kit({"events", db, "--from=2", "--limit=1"}).out), 1u);
  auto renamed = kit({"events", db, "--stream", "User-1", "--type", "Renamed"});
  EXPECT_EQ(line_count(renamed.out), 1u);
  EXPECT_NE(renamed.out.find(R"("position":3)"), std::string::npos) << renamed.out;
}

TEST_F(KitInspection, EventsStreamsALogLongerThanOnePageWithoutProgressWhenPiped) {
  append_events(db, "Bulk-1", "Loaded", 2500);
  auto listed = kit({"events", db});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(line_count(listed.out), 2503u);
  EXPECT_EQ(listed.err, "") << "progress must not appear when stderr is not a terminal";
  auto tail = kit({"events", db, "--from", "2501", "--type", "Loaded"});
  EXPECT_EQ(line_count(tail.out), 3u);
}

TEST_F(KitInspection, StatsCountsEventsStreamsTypesAndSize) {
  auto stats = kit({"stats", db});
  EXPECT_EQ(stats.exit_code, 0) << stats.describe();
  auto file_bytes = std::filesystem::file_size(db);
  EXPECT_EQ(stats.out.rfind(
                "store:    " + db + "\nsize:     " + std::to_string(file_bytes) + " bytes", 0),
            0u)
      << stats.out;
  EXPECT_NE(stats.out.find("events:   3\nstreams:  2\ntypes:    3\n"
                           "  Created  1\n  Placed   1\n  Renamed  1\n"),
            std::string::npos)
      << stats.out;
  EXPECT_EQ(stats.err, "");
}

TEST_F(KitInspection, StatsAsJson) {
  auto stats = kit({"stats", db, "--json"});
  EXPECT_EQ(stats.exit_code, 0) << stats.describe();
  EXPECT_NE(
      stats.out.find(R"("events":3,"streams":2,"types":{"Created":1,"Placed":1,"Renamed":1}})"),
      std::string::npos)
      << stats.out;
  EXPECT_EQ(line_count(stats.out), 1u);
}

TEST_F(KitInspection, AMissingFileIsAOneLineStoreErrorAndIsNotCreated) {
  const std::string missing = directory.file("missing.db");
  for (const char* command : {"streams", "events", "stats"}) {
    auto opened = kit({command, missing});
    EXPECT_EQ(opened.exit_code, 5) << command;
    EXPECT_EQ(opened.out, "");
    EXPECT_EQ(opened.err, "event-sourcing-kit: store_unavailable: cannot open store '" + missing +
                              "': no such file\n");
  }
  EXPECT_FALSE(std::filesystem::exists(missing));
}

TEST_F(KitInspection, AFileThatIsNotADatabaseIsAOneLineStoreError) {
  const std::string text = directory.file("notes.txt");
  std::ofstream(text) << "these are my notes, not an event store; long enough for a header\n";
  for (const char* command : {"streams", "events", "stats"}) {
    auto opened = kit({command, text});
    EXPECT_EQ(opened.exit_code, 5) << command;
    EXPECT_EQ(opened.err.rfind("event-sourcing-kit: incompatible_store: '" + text + "' is not", 0),
              0u)
        << opened.err;
    EXPECT_EQ(line_count(opened.err), 1u);
  }
}

TEST_F(KitInspection, ADatabaseOfAnotherApplicationIsAStoreError) {
  const std::string other = directory.file("other.db");
  execute_sql(other, "CREATE TABLE notes(text TEXT)");
  auto opened = kit({"stats", other});
  EXPECT_EQ(opened.exit_code, 5);
  EXPECT_NE(opened.err.find("another application"), std::string::npos) << opened.err;
}

TEST_F(KitInspection, AnEmptyFileIsAStoreError) {
  const std::string empty = directory.file("empty.db");
  std::ofstream{empty};
  auto opened = kit({"events", empty});
  EXPECT_EQ(opened.exit_code, 5);
  EXPECT_EQ(line_count(opened.err), 1u) << opened.err;
}

TEST_F(KitInspection, AStoreWithANewerSchemaIsAStoreErrorAndStaysUntouched) {
  execute_sql(db, "PRAGMA user_version=99");
  auto size_before = std::filesystem::file_size(db);
  auto opened = kit({"events", db});
  EXPECT_EQ(opened.exit_code, 5);
  EXPECT_EQ(opened.out, "");
  EXPECT_NE(opened.err.find("schema version 99, newer than this build's"), std::string::npos)
      << opened.err;
  EXPECT_EQ(line_count(opened.err), 1u);
  EXPECT_EQ(std::filesystem::file_size(db), size_before);
}

TEST_F(KitInspection, ADirectoryGivenAsTheStoreIsAOneLineStoreErrorSayingSo) {
  const std::string folder = directory.file("a-folder.db");
  std::filesystem::create_directory(folder);
  for (const char* command : {"streams", "events", "stats"}) {
    auto opened = kit({command, folder});
    EXPECT_EQ(opened.exit_code, 5) << command;
    EXPECT_EQ(opened.out, "");
    EXPECT_EQ(line_count(opened.err), 1u) << opened.err;
    EXPECT_NE(opened.err.find("is a directory"), std::string::npos) << opened.err;
  }
}

TEST_F(KitInspection, InspectionLeavesNoWriteAheadLogFilesBehind) {
  ASSERT_FALSE(std::filesystem::exists(db + "-wal")) << "the writer's close removes its log";

  for (const char* command : {"streams", "events", "stats"}) {
    auto inspected = kit({command, db});

    EXPECT_EQ(inspected.exit_code, 0) << command << ": " << inspected.describe();
    EXPECT_FALSE(std::filesystem::exists(db + "-wal")) << command;
    EXPECT_FALSE(std::filesystem::exists(db + "-shm")) << command;
  }
}

// Root ignores permission bits, so there the folder stays writable for it and this test
// skips; StoreFile.StoreOnAReadOnlyFileIsRefusedForWritingButReadable (reliability tests) puts
// a store on a read-only mount instead.
TEST_F(KitInspection, InspectionWorksOnAStoreInAFolderTheUserCannotWrite) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root, which can write any folder";
  const std::string folder = directory.file("locked");
  std::filesystem::create_directory(folder);
  const std::string locked = folder + "/app.db";
  std::filesystem::copy_file(db, locked);
  ASSERT_EQ(::chmod(folder.c_str(), 0555), 0);

  auto listed = kit({"streams", locked});
  auto events = kit({"events", locked});
  ::chmod(folder.c_str(), 0755);

  EXPECT_EQ(listed.exit_code, 0) << listed.describe();
  EXPECT_EQ(listed.err, "");
  EXPECT_EQ(events.exit_code, 0) << events.describe();
  EXPECT_EQ(line_count(events.out), 3u) << events.out;
}

TEST_F(KitInspection, ANumberTooLargeForAnOptionIsTooLargeNotMalformed) {
  for (const char* option : {"--limit", "--from"}) {
    auto listed = kit({"events", db, option, "99999999999999999999"});
    EXPECT_EQ(listed.exit_code, 4) << option;
    EXPECT_EQ(listed.out, "");
    EXPECT_EQ(listed.err, std::string("event-sourcing-kit: invalid_argument: ") + option +
                              ": '99999999999999999999' is too large (the maximum is "
                              "18446744073709551615)\n");
  }
}

TEST(KitCommandLine, UsageMistakesExitFourWithOneLine) {
  const std::vector<std::vector<std::string>> mistakes = {
      {"frobnicate"},
      {"events"},
      {"stats", "a.db", "b.db"},
      {"events", "a.db", "--limit", "x"},
      {"streams", "a.db", "--verbose"},
      {"events", "a.db", "--from"},
      {"init"},
  };
  for (const auto& args : mistakes) {
    auto ran = kit(args);
    EXPECT_EQ(ran.exit_code, 4) << args.front() << "\n" << ran.describe();
    EXPECT_EQ(line_count(ran.err), 1u) << ran.err;
    EXPECT_EQ(ran.out, "");
  }
}

TEST(KitCommandLine, WithoutACommandPrintsTheUsageAndExitsFour) {
  auto ran = kit({});
  EXPECT_EQ(ran.exit_code, 4);
  EXPECT_EQ(ran.err.rfind("usage: event-sourcing-kit <command>", 0), 0u) << ran.err;
}

TEST(KitCommandLine, HelpAndVersionSucceed) {
  auto help = kit({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("init <dir> [--name NAME] [--template app|orders] [--force]"),
            std::string::npos);
  auto version = kit({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, std::string("event-sourcing-kit ") + ESK_KIT_VERSION + "\n");
}

}  // namespace
}  // namespace esk::testing
