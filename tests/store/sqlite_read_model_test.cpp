// A SQLite read model: its rows and its projection's checkpoint commit together or not at all,
// and a failed event's writes are undone without undoing the rest of the batch.
#include "esk/store/sqlite_read_model.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sync_probe_vfs.hpp"
#include "temporary_directory.hpp"

namespace esk {
namespace {

constexpr const char* schema = "CREATE TABLE IF NOT EXISTS users(id TEXT PRIMARY KEY, email TEXT)";

class SqliteReadModel : public ::testing::Test {
 protected:
  std::unique_ptr<sqlite_read_model> open() {
    auto opened = sqlite_read_model::open(path, schema);
    if (!opened) throw std::runtime_error(opened.error_value().message);
    return std::move(*opened);
  }

  // The user rows as "id=email", read by another connection.
  std::vector<std::string> users() {
    auto rows = query_sqlite(path, "SELECT id, email FROM users ORDER BY id");
    EXPECT_TRUE(rows.ok()) << rows.error_value().message;
    std::vector<std::string> found;
    if (rows.ok())
      for (const auto& row : *rows)
        found.push_back(std::get<std::string>(row[0]) + "=" + std::get<std::string>(row[1]));
    return found;
  }

  static void insert_user(sql_transaction& sql, const std::string& id, const std::string& email) {
    sql.execute("INSERT INTO users(id, email) VALUES(?1, ?2)", {id, email});
  }

  testing::temporary_directory directory;
  std::string path = directory.file("read_model.db");
};

TEST_F(SqliteReadModel, RowsAndCheckpointCommitTogether) {
  auto model = open();
  ASSERT_TRUE(model->begin().ok());
  model->apply_undoable([&] { insert_user(model->transaction(), "1", "ada@x.org"); });
  EXPECT_TRUE(users().empty()) << "rows are visible before the commit";

  ASSERT_TRUE(model->commit("by_email", 7).ok());

  EXPECT_EQ(users(), std::vector<std::string>{"1=ada@x.org"});
  EXPECT_EQ(*open()->checkpoint("by_email"), 7u);
}

// A batch in the middle of a catch-up commits without a sync; the one before a projection
// reports its events applied (commit, or sync after unsynced commits) reaches the disk.
TEST_F(SqliteReadModel, UnsyncedCommitIsNotSyncedAndCommitOrSyncIs) {
  testing::sync_probe_vfs probe;
  auto model = open();
  ASSERT_TRUE(model->begin().ok());
  model->apply_undoable([&] { insert_user(model->transaction(), "1", "ada@x.org"); });

  probe.reset_wal_syncs();
  ASSERT_TRUE(model->commit_unsynced("by_email", 1).ok());
  EXPECT_EQ(probe.wal_syncs(), 0) << "commit_unsynced synced";
  EXPECT_EQ(users(), std::vector<std::string>{"1=ada@x.org"});
  EXPECT_EQ(*model->checkpoint("by_email"), 1u);

  probe.reset_wal_syncs();
  ASSERT_TRUE(model->sync().ok());
  EXPECT_GE(probe.wal_syncs(), 1) << "sync did not sync the write-ahead log";

  ASSERT_TRUE(model->begin().ok());
  model->apply_undoable([&] { insert_user(model->transaction(), "2", "grace@x.org"); });
  probe.reset_wal_syncs();
  ASSERT_TRUE(model->commit("by_email", 2).ok());
  EXPECT_GE(probe.wal_syncs(), 1) << "commit returned unsynced";
}

TEST_F(SqliteReadModel, BatchRolledBackLeavesRowsAndCheckpointAsTheyWere) {
  auto model = open();
  ASSERT_TRUE(model->begin().ok());
  model->apply_undoable([&] { insert_user(model->transaction(), "1", "ada@x.org"); });
  ASSERT_TRUE(model->commit("by_email", 1).ok());
  ASSERT_TRUE(model->begin().ok());
  model->apply_undoable([&] { insert_user(model->transaction(), "2", "grace@x.org"); });

  model->rollback();

  EXPECT_EQ(users(), std::vector<std::string>{"1=ada@x.org"});
  EXPECT_EQ(*model->checkpoint("by_email"), 1u);
}

TEST_F(SqliteReadModel, ThrowingApplyUndoesOnlyItsOwnWrites) {
  auto model = open();
  ASSERT_TRUE(model->begin().ok());
  model->apply_undoable([&] { insert_user(model->transaction(), "1", "ada@x.org"); });

  EXPECT_THROW(model->apply_undoable([&] {
    insert_user(model->transaction(), "2", "grace@x.org");
    insert_user(model->transaction(), "1", "duplicate@x.org");  // PRIMARY KEY: throws
  }),
               std::runtime_error);
  ASSERT_TRUE(model->commit("by_email", 1).ok());

  EXPECT_EQ(users(), std::vector<std::string>{"1=ada@x.org"});
}

// A process killed mid-transaction in rollback-journal mode leaves a hot journal; a read-only
// connection may not roll it back. query_sqlite still answers, with the last commit.
TEST(QuerySqlite, ReadsTheLastCommitBehindAHotJournalLeftByAKilledWriter) {
  testing::temporary_directory directory;
  const std::string path = directory.file("journal.db");
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1); PRAGMA cache_size=1; BEGIN;",
                 nullptr, nullptr, nullptr);
    for (int i = 0; i < 200; ++i)  // spills the page cache: the file holds uncommitted pages
      sqlite3_exec(db, "INSERT INTO t VALUES(randomblob(1000))", nullptr, nullptr, nullptr);
    raise(SIGKILL);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_TRUE(std::filesystem::exists(path + "-journal")) << "no hot journal was left";

  auto rows = query_sqlite(path, "SELECT count(*) FROM t");
  ASSERT_TRUE(rows.ok()) << rows.error_value().message;
  EXPECT_EQ(std::get<std::int64_t>((*rows)[0][0]), 1);
  EXPECT_FALSE(query_sqlite(path, "DELETE FROM t").ok()) << "query_sqlite wrote";
}

}  // namespace
}  // namespace esk
