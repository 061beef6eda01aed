// Store files that cannot serve: not a store, a newer schema, read-only, a full disk. Each is
// an error value naming the file and the cause; nothing is half-written; what still works
// keeps working.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "../store/temporary_directory.hpp"
#include "ledger.hpp"
#include "small_filesystem.hpp"
#include "store_audit.hpp"

namespace esk::reliability {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

void expect_error(const error& failure, error_kind kind, const std::string& text) {
  EXPECT_EQ(failure.kind, kind) << failure;
  EXPECT_NE(failure.message.find(text), std::string::npos)
      << "message \"" << failure.message << "\" lacks \"" << text << "\"";
}

void set_user_version(const std::string& path, int version) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string pragma = "PRAGMA user_version=" + std::to_string(version);
  EXPECT_EQ(sqlite3_exec(db, pragma.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

class StoreFile : public ::testing::Test {
 protected:
  // A runtime on a healthy store in the same process, which a failing store must not disturb.
  void expect_bystander_served() {
    auto store = open_sqlite_store(directory_.file("healthy.db"));
    ASSERT_TRUE(store) << store.error_value();
    runtime rt{*store, runtime_options{1}};
    register_account(rt);
    auto accepted = rt.execute(Deposit{"a1", 1});
    EXPECT_TRUE(accepted) << accepted.error_value();
  }

  testing::temporary_directory directory_;
};

TEST_F(StoreFile, FileThatIsNotADatabaseIsIncompatibleAndLeftUntouched) {
  const std::string path = directory_.file("notes.txt");
  const std::string text(8192, 'z');
  std::ofstream{path} << text;

  auto store = open_sqlite_store(path);

  ASSERT_FALSE(store);
  expect_error(store.error_value(), error_kind::incompatible_store, path);
  expect_error(store.error_value(), error_kind::incompatible_store, "not a database");
  EXPECT_EQ(read_file(path), text);
  expect_bystander_served();
}

TEST_F(StoreFile, DatabaseOfAnotherApplicationIsIncompatibleAndLeftUntouched) {
  const std::string path = directory_.file("other.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE recipes(name TEXT)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const std::string before = read_file(path);

  auto store = open_sqlite_store(path);

  ASSERT_FALSE(store);
  expect_error(store.error_value(), error_kind::incompatible_store, "another application");
  EXPECT_EQ(read_file(path), before);
  expect_bystander_served();
}

TEST_F(StoreFile, StoreOfANewerSchemaIsIncompatible) {
  const std::string path = directory_.file("newer.db");
  { ASSERT_TRUE(open_sqlite_store(path)); }
  set_user_version(path, sqlite_schema_version + 1);

  auto store = open_sqlite_store(path);

  ASSERT_FALSE(store);
  expect_error(store.error_value(), error_kind::incompatible_store,
               "schema version " + std::to_string(sqlite_schema_version + 1) + ", newer");
  auto read_only = open_sqlite_store(path, {true, true});
  ASSERT_FALSE(read_only) << "read-only inspection must refuse it too";
  EXPECT_EQ(read_only.kind(), error_kind::incompatible_store);
  expect_bystander_served();
}

TEST_F(StoreFile, StoreOpenedReadOnlyServesReadsAndRefusesAppends) {
  const std::string path = directory_.file("archive.db");
  {
    auto writable = open_sqlite_store(path);
    ASSERT_TRUE(writable);
    runtime rt{*writable, runtime_options{1}};
    register_account(rt);
    ASSERT_TRUE(rt.execute(Deposit{"a1", 10}));
  }
  sqlite_options read_only;
  read_only.read_only = true;
  auto store = open_sqlite_store(path, read_only);
  ASSERT_TRUE(store) << store.error_value();
  runtime rt{*store, runtime_options{1}};
  register_account(rt);

  auto refused = rt.execute(Deposit{"a1", 5});

  ASSERT_FALSE(refused);
  expect_error(refused.error_value(), error_kind::store_unavailable, "opened read-only");
  expect_error(refused.error_value(), error_kind::store_unavailable, "Account a1: Deposit");
  auto account = rt.state<Account>("a1");  // the runtime still serves what it can
  ASSERT_TRUE(account) << account.error_value();
  EXPECT_EQ(account->balance, 10);
  EXPECT_EQ(rt.execute(Deposit{"a1", 5}).kind(), error_kind::store_unavailable);
  expect_bystander_served();
}

// A folder nobody can write once make_read_only() ran. chmod does not stop root (permission
// bits are bypassed), so as root the folder is a small filesystem remounted read-only.
class read_only_folder {
 public:
  explicit read_only_folder(std::string path) : path_(std::move(path)) {
    std::filesystem::create_directory(path_);
    if (::geteuid() == 0) {
      filesystem_ = std::make_unique<small_filesystem>(path_, "1m");
      if (!filesystem_->mounted()) why_not_ = filesystem_->why_not();
    }
  }
  ~read_only_folder() {
    if (!filesystem_) ::chmod(path_.c_str(), 0755);
  }
  read_only_folder(const read_only_folder&) = delete;
  read_only_folder& operator=(const read_only_folder&) = delete;

  // Empty when the folder can be made read-only, else why not (the test then skips).
  const std::string& why_not() const { return why_not_; }

  // The folder and every file in it become read-only. Returns false with why_not() set.
  bool make_read_only() {
    if (filesystem_) {
      if (filesystem_->make_read_only()) return true;
      why_not_ = filesystem_->why_not();
      return false;
    }
    for (const auto& entry : std::filesystem::directory_iterator(path_))
      ::chmod(entry.path().c_str(), 0444);
    return ::chmod(path_.c_str(), 0555) == 0;
  }

  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
  std::unique_ptr<small_filesystem> filesystem_;
  std::string why_not_;
};

// Makes a store at `source` whose one event is still only in its write-ahead log (the
// writer keeps it open meanwhile) and copies it into `folder` as "copy.db", with those of its
// "-wal" and "-shm" files that `suffixes` names. Returns the copy's path.
std::string copy_of_a_store_with_a_commit_in_its_log(const std::string& source,
                                                     const read_only_folder& folder,
                                                     const std::vector<std::string>& suffixes) {
  auto writer = open_sqlite_store(source);
  EXPECT_TRUE(writer) << writer.error_value();
  if (!writer) return {};
  EXPECT_TRUE((*writer)->append({"Account-a1", 0, {{"Deposited", "{}", {"e1", "", "", "", "t"}}}}));
  std::filesystem::copy_file(source, folder.file("copy.db"));
  for (const std::string& suffix : suffixes)
    std::filesystem::copy_file(source + suffix, folder.file("copy.db" + suffix));
  return folder.file("copy.db");
}

std::string read_only_problem(const std::string& path) {
  sqlite_options read_only;
  read_only.read_only = true;
  auto inspection = open_sqlite_store(path, read_only);
  return inspection ? std::string() : inspection.error_value().message;
}

TEST_F(StoreFile, StoreOnAReadOnlyFileIsRefusedForWritingButReadable) {
  read_only_folder folder(directory_.file("ro"));
  if (!folder.why_not().empty()) GTEST_SKIP() << folder.why_not();
  const std::string path = folder.file("locked.db");
  {
    auto writable = open_sqlite_store(path);
    ASSERT_TRUE(writable) << writable.error_value();
    runtime rt{*writable, runtime_options{1}};
    register_account(rt);
    ASSERT_TRUE(rt.execute(Deposit{"a1", 10}));
  }
  ASSERT_TRUE(folder.make_read_only()) << folder.why_not();
  const std::string before = read_file(path);

  auto store = open_sqlite_store(path);

  ASSERT_FALSE(store) << "a read-only file opened for writing";
  expect_error(store.error_value(), error_kind::store_unavailable, path);
  EXPECT_EQ(read_file(path), before);
  sqlite_options read_only;
  read_only.read_only = true;
  auto inspection = open_sqlite_store(path, read_only);
  ASSERT_TRUE(inspection) << inspection.error_value();
  auto events = (*inspection)->read_all();
  ASSERT_TRUE(events) << events.error_value();
  EXPECT_EQ(events->size(), 1u);
  expect_bystander_served();
}

TEST_F(StoreFile, ReadOnlyInspectionInAReadOnlyFolderReadsCommitsStillInTheWriteAheadLog) {
  read_only_folder folder(directory_.file("ro"));
  if (!folder.why_not().empty()) GTEST_SKIP() << folder.why_not();
  const std::string copy = copy_of_a_store_with_a_commit_in_its_log(directory_.file("live.db"),
                                                                    folder, {"-wal", "-shm"});
  ASSERT_TRUE(folder.make_read_only()) << folder.why_not();
  sqlite_options read_only;
  read_only.read_only = true;

  auto inspection = open_sqlite_store(copy, read_only);

  ASSERT_TRUE(inspection) << inspection.error_value();
  auto events = (*inspection)->read_all();
  ASSERT_TRUE(events) << events.error_value();
  EXPECT_EQ(events->size(), 1u) << "the event is only in the write-ahead log";
}

TEST_F(StoreFile, ReadOnlyInspectionOfAWriteAheadLogItCannotReadSaysWhyInOneLine) {
  read_only_folder folder(directory_.file("ro"));
  if (!folder.why_not().empty()) GTEST_SKIP() << folder.why_not();
  const std::string copy =  // without its -shm index
      copy_of_a_store_with_a_commit_in_its_log(directory_.file("live.db"), folder, {"-wal"});
  ASSERT_TRUE(folder.make_read_only()) << folder.why_not();

  const std::string problem = read_only_problem(copy);

  ASSERT_FALSE(problem.empty()) << "read the file without its write-ahead log";
  EXPECT_NE(problem.find("write-ahead log"), std::string::npos) << problem;
  EXPECT_NE(problem.find("copy.db-shm"), std::string::npos) << problem;
  EXPECT_EQ(problem.find('\n'), std::string::npos) << problem;
}

TEST_F(StoreFile, FullDiskFailsAppendsWithStoreUnavailableWritesNothingHalfAndRecovers) {
  const std::string mount_point = directory_.file("small");
  std::filesystem::create_directory(mount_point);
  small_filesystem filesystem(mount_point, "1m");
  if (!filesystem.mounted()) GTEST_SKIP() << filesystem.why_not();
  const std::string ballast = filesystem.file("ballast");
  std::ofstream{ballast} << std::string(256 * 1024, 'b');

  std::set<std::string> acknowledged;
  {
    auto store = open_sqlite_store(filesystem.file("full.db"));
    ASSERT_TRUE(store) << store.error_value();
    runtime rt{*store, runtime_options{2}};
    register_account(rt);
    command_result failed = std::vector<recorded_event>{};
    std::string failed_id;
    for (int n = 0; n < 2000 && failed; ++n) {
      command_options ids;
      ids.command_id = "note-" + std::to_string(n);
      failed = rt.execute(Annotate{"a1", std::string(6000, 'n')}, ids);
      if (failed)
        acknowledged.insert(ids.command_id);
      else
        failed_id = ids.command_id;
    }
    ASSERT_FALSE(failed) << "the disk never filled up";
    expect_error(failed.error_value(), error_kind::store_unavailable, "full");
    expect_error(failed.error_value(), error_kind::store_unavailable, "Account a1: Annotate");

    // Nothing half-written: exactly the acknowledged commands are in the log.
    const store_audit audit = audit_store(**store);
    for (const auto& problem : audit.problems) ADD_FAILURE() << problem;
    EXPECT_EQ(audit.commands.count(failed_id), 0u);
    EXPECT_EQ(audit.commands.size(), acknowledged.size());
    // The runtime is still up: it reads, and writes again once there is room.
    auto account = rt.state<Account>("a1");
    ASSERT_TRUE(account) << account.error_value();
    EXPECT_EQ(account->notes, acknowledged.size());
    std::filesystem::remove(ballast);
    command_options ids;
    ids.command_id = "after-space-freed";
    auto accepted = rt.execute(Annotate{"a1", "room again"}, ids);
    ASSERT_TRUE(accepted) << accepted.error_value();
    acknowledged.insert(ids.command_id);
  }
  // And the file, reopened, holds exactly what was acknowledged.
  auto reopened = open_sqlite_store(filesystem.file("full.db"));
  ASSERT_TRUE(reopened) << reopened.error_value();
  const store_audit audit = audit_store(**reopened);
  for (const auto& problem : audit.problems) ADD_FAILURE() << problem;
  std::set<std::string> logged;
  for (const auto& entry : audit.commands) logged.insert(entry.first);
  EXPECT_EQ(logged, acknowledged);
  expect_bystander_served();
}

}  // namespace
}  // namespace esk::reliability
