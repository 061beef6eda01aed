// What the SQLite backend promises beyond the common contract: durability, a recognisable
// and versioned file, read-only opening and sharing one file between processes.
#include "esk/store/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <string>

#include "sqlite_connection.hpp"
#include "sqlite_schema.hpp"
#include "store_test_events.hpp"
#include "sync_probe_vfs.hpp"
#include "temporary_directory.hpp"

namespace esk {
namespace {

using testing::make_request;

// Runs SQL on the file with a plain connection, as another program would.
void run_sql(const std::string& path, const std::string& sql) {
  sqlite_connection raw(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 1000);
  raw.execute(sql);
}

std::string query_text(const std::string& path, const std::string& sql) {
  sqlite_connection raw(path, SQLITE_OPEN_READWRITE, 1000);
  return raw.query_text(sql);
}

// The error of opening `path`, which the test expects to fail.
error open_error(const std::string& path, const sqlite_options& options = {}) {
  auto opened = open_sqlite_store(path, options);
  EXPECT_FALSE(opened.ok()) << "opening '" << path << "' succeeded";
  return opened.ok() ? error{} : opened.error_value();
}

bool mentions(const error& err, const std::string& text) {
  return err.message.find(text) != std::string::npos;
}

class SqliteStore : public ::testing::Test {
 protected:
  std::shared_ptr<event_store> open(const sqlite_options& options = {}) {
    auto opened = open_sqlite_store(path, options);
    EXPECT_TRUE(opened.ok()) << opened.error_value();
    return opened.ok() ? *opened : nullptr;
  }

  // Creates the store file with one event in it and closes it again.
  void create_store_with_one_event() {
    auto store = open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->append(make_request("Account-1", 0)).ok());
  }

  testing::temporary_directory directory;
  std::string path = directory.file("events.db");
};

TEST_F(SqliteStore, ReopenKeepsEveryEvent) {
  {
    auto store = open();
    ASSERT_TRUE(store->append(make_request("Account-1", 0, 2)).ok());
    ASSERT_TRUE(store->append(make_request("Account-2", 0, 1)).ok());
  }

  auto reopened = open();

  ASSERT_TRUE(reopened);
  EXPECT_EQ(*reopened->last_position(), 3u);
  EXPECT_EQ(*reopened->stream_version("Account-1"), 2u);
  EXPECT_EQ(reopened->read_all()->size(), 3u);
  auto next = reopened->append(make_request("Account-1", 2));
  ASSERT_TRUE(next.ok()) << next.error_value();
  EXPECT_EQ((*next)[0].version, 3u);
  EXPECT_EQ((*next)[0].position, 4u);
}

TEST_F(SqliteStore, FileThatIsNotADatabaseIsAnIncompatibleStore) {
  std::ofstream(path) << "name,balance\nalice,10\n";

  error failure = open_error(path);

  EXPECT_EQ(failure.kind, error_kind::incompatible_store);
  EXPECT_EQ(failure.message,
            "'" + path + "' is not an event-sourcing-kit store (file is not a database)");
}

TEST_F(SqliteStore, DatabaseOfAnotherApplicationIsAnIncompatibleStore) {
  run_sql(path, "CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES('alice')");

  error failure = open_error(path);

  EXPECT_EQ(failure.kind, error_kind::incompatible_store);
  EXPECT_EQ(failure.message, "'" + path + "' is a SQLite database of another application");
  EXPECT_EQ(query_text(path, "PRAGMA journal_mode"), "delete") << "the file was left untouched";
}

TEST_F(SqliteStore, NewerSchemaVersionIsAnIncompatibleStore) {
  create_store_with_one_event();
  run_sql(path, "PRAGMA user_version=" + std::to_string(sqlite_schema_version + 1));

  error failure = open_error(path);

  EXPECT_EQ(failure.kind, error_kind::incompatible_store);
  EXPECT_EQ(failure.message,
            "'" + path + "' has schema version " + std::to_string(sqlite_schema_version + 1) +
                ", newer than this build's " + std::to_string(sqlite_schema_version) +
                "; upgrade event-sourcing-kit");
}

TEST_F(SqliteStore, NewStoreIsMarkedWithApplicationIdAndSchemaVersion) {
  create_store_with_one_event();

  EXPECT_EQ(query_text(path, "PRAGMA application_id"), std::to_string(sqlite_application_id));
  EXPECT_EQ(query_text(path, "PRAGMA user_version"), std::to_string(sqlite_schema_version));
}

// Turns the store at `path` into one as a schema version 1 build made it: no snapshots table
// (and no checkpoints table, which version 3 added).
void make_schema_version_1(const std::string& path) {
  run_sql(path, "DROP TABLE snapshots; DROP TABLE projection_checkpoints; PRAGMA user_version=1");
}

snapshot account_snapshot() {
  return {"Account-1", 1, 1, R"({"balance":10})", "2026-11-25T17:07:34.123Z"};
}

TEST_F(SqliteStore, StoreOfSchemaVersion1OpensMigratedAndKeepsSnapshots) {
  create_store_with_one_event();
  make_schema_version_1(path);

  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->write_snapshot(account_snapshot()).ok());

  EXPECT_EQ(query_text(path, "PRAGMA user_version"), std::to_string(sqlite_schema_version));
  EXPECT_EQ(store->read_stream("Account-1")->size(), 1u) << "the migration kept the events";
  auto found = store->read_snapshot("Account-1");
  ASSERT_TRUE(found.ok()) << found.error_value();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->state, account_snapshot().state);
}

TEST_F(SqliteStore, ReadOnlyOpenOfSchemaVersion1StoreReadsWithoutSnapshotsAndWritesNothing) {
  create_store_with_one_event();
  make_schema_version_1(path);
  sqlite_options read_only;
  read_only.read_only = true;

  auto store = open(read_only);
  ASSERT_TRUE(store);
  auto found = store->read_snapshot("Account-1");
  auto written = store->write_snapshot(account_snapshot());

  ASSERT_TRUE(found.ok()) << found.error_value();
  EXPECT_FALSE(found->has_value());
  EXPECT_EQ(store->read_stream("Account-1")->size(), 1u);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.kind(), error_kind::store_unavailable);
  store.reset();
  EXPECT_EQ(query_text(path, "PRAGMA user_version"), "1") << "a read-only open migrated the file";
}

TEST_F(SqliteStore, StoreOfSchemaVersion2OpensMigratedAndKeepsCheckpoints) {
  create_store_with_one_event();
  run_sql(path, "DROP TABLE projection_checkpoints; PRAGMA user_version=2");

  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->save_checkpoint("users_by_email", 1).ok());

  EXPECT_EQ(query_text(path, "PRAGMA user_version"), std::to_string(sqlite_schema_version));
  EXPECT_EQ(*store->read_checkpoint("users_by_email"), 1u);
  EXPECT_EQ(store->read_stream("Account-1")->size(), 1u) << "the migration kept the events";
}

TEST_F(SqliteStore, ReadOnlyOpenReadsTheCheckpointsAWriterSaved) {
  create_store_with_one_event();
  ASSERT_TRUE(open()->save_checkpoint("users_by_email", 1).ok());
  sqlite_options read_only;
  read_only.read_only = true;

  auto store = open(read_only);
  ASSERT_TRUE(store);
  auto saved = store->read_checkpoint("users_by_email");
  auto never_saved = store->read_checkpoint("orders");

  ASSERT_TRUE(saved.ok()) << saved.error_value();
  EXPECT_EQ(*saved, 1u);
  ASSERT_TRUE(never_saved.ok()) << never_saved.error_value();
  EXPECT_EQ(*never_saved, 0u);
}

TEST_F(SqliteStore, ReadOnlyOpenOfAStoreWithoutCheckpointsReadsCheckpointZero) {
  create_store_with_one_event();
  run_sql(path, "DROP TABLE projection_checkpoints; PRAGMA user_version=2");
  sqlite_options read_only;
  read_only.read_only = true;

  auto store = open(read_only);
  ASSERT_TRUE(store);
  auto found = store->read_checkpoint("users_by_email");

  ASSERT_TRUE(found.ok()) << found.error_value();
  EXPECT_EQ(*found, 0u);
  store.reset();
  EXPECT_EQ(query_text(path, "PRAGMA user_version"), "2") << "a read-only open migrated the file";
}

TEST_F(SqliteStore, CheckpointSurvivesReopen) {
  create_store_with_one_event();
  ASSERT_TRUE(open()->save_checkpoint("users_by_email", 1).ok());

  auto found = open()->read_checkpoint("users_by_email");

  ASSERT_TRUE(found.ok()) << found.error_value();
  EXPECT_EQ(*found, 1u);
}

TEST_F(SqliteStore, SnapshotSurvivesReopen) {
  create_store_with_one_event();
  ASSERT_TRUE(open()->write_snapshot(account_snapshot()).ok());

  auto found = open()->read_snapshot("Account-1");

  ASSERT_TRUE(found.ok()) << found.error_value();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->version, 1u);
  EXPECT_EQ((*found)->state, account_snapshot().state);
}

TEST_F(SqliteStore, MissingFileWithoutCreateIfMissingIsUnavailable) {
  sqlite_options options;
  options.create_if_missing = false;

  error failure = open_error(path, options);

  EXPECT_EQ(failure.kind, error_kind::store_unavailable);
  EXPECT_TRUE(mentions(failure, path));
  EXPECT_FALSE(std::ifstream(path).good()) << "no file was created";
}

TEST_F(SqliteStore, MissingDirectoryIsUnavailable) {
  std::string nowhere = directory.file("missing/events.db");

  error failure = open_error(nowhere);

  EXPECT_EQ(failure.kind, error_kind::store_unavailable);
  EXPECT_TRUE(mentions(failure, nowhere));
}

TEST_F(SqliteStore, ReadOnlyOpenOfMissingFileIsUnavailable) {
  sqlite_options options;
  options.read_only = true;

  error failure = open_error(path, options);

  EXPECT_EQ(failure.kind, error_kind::store_unavailable);
  EXPECT_TRUE(mentions(failure, path));
}

TEST_F(SqliteStore, ReadOnlyOpenOfEmptyDatabaseIsAnIncompatibleStore) {
  std::ofstream{path};
  sqlite_options options;
  options.read_only = true;

  error failure = open_error(path, options);

  EXPECT_EQ(failure.kind, error_kind::incompatible_store);
  EXPECT_EQ(failure.message, "'" + path + "' is empty, not an event-sourcing-kit store");
}

TEST_F(SqliteStore, ReadOnlyStoreReadsButRefusesToAppend) {
  create_store_with_one_event();
  sqlite_options options;
  options.read_only = true;
  auto store = open(options);
  ASSERT_TRUE(store);

  auto appended = store->append(make_request("Account-1", 1));

  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.kind(), error_kind::store_unavailable);
  EXPECT_TRUE(mentions(appended.error_value(), path));
  EXPECT_EQ(store->read_stream("Account-1")->size(), 1u);
}

TEST_F(SqliteStore, DirectoryAsTheStoreIsUnavailableAndSaysSo) {
  std::string folder = directory.file("data");
  std::filesystem::create_directory(folder);
  sqlite_options read_only;
  read_only.read_only = true;

  for (const sqlite_options& options : {sqlite_options{}, read_only}) {
    error failure = open_error(folder, options);

    EXPECT_EQ(failure.kind, error_kind::store_unavailable);
    EXPECT_EQ(failure.message, "cannot open store '" + folder + "': is a directory");
  }
}

TEST_F(SqliteStore, ReadOnlyOpenLeavesNoWriteAheadLogFilesBehind) {
  create_store_with_one_event();
  ASSERT_FALSE(std::filesystem::exists(path + "-wal")) << "the writer's close removes its log";
  sqlite_options options;
  options.read_only = true;

  {
    auto store = open(options);
    ASSERT_TRUE(store);
    EXPECT_EQ(store->read_all()->size(), 1u);
    EXPECT_EQ(store->list_streams()->size(), 1u);
  }

  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(path + "-shm"));
}

TEST_F(SqliteStore, ReadOnlyOpenSeesCommitsOfAWriterThatHasTheStoreOpen) {
  auto writer = open();
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->append(make_request("Account-1", 0)).ok());
  sqlite_options options;
  options.read_only = true;
  auto reader = open(options);
  ASSERT_TRUE(reader);

  ASSERT_TRUE(writer->append(make_request("Account-1", 1)).ok());

  auto events = reader->read_stream("Account-1");
  ASSERT_TRUE(events.ok()) << events.error_value();
  EXPECT_EQ(events->size(), 2u);
}

TEST_F(SqliteStore, ReadOnlyReadFailsWhenAWriterOpenedTheStoreSinceItWasOpened) {
  create_store_with_one_event();
  sqlite_options options;
  options.read_only = true;
  auto reader = open(options);
  ASSERT_TRUE(reader);
  auto writer = open();
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->append(make_request("Account-1", 1)).ok());

  auto events = reader->read_all();

  ASSERT_FALSE(events.ok()) << "an unlocked read may have overlapped a writer's checkpoint";
  EXPECT_EQ(events.kind(), error_kind::store_unavailable);
  EXPECT_TRUE(mentions(events.error_value(), "run the inspection again")) << events.error_value();
}

TEST_F(SqliteStore, JournalIsWriteAheadLog) {
  create_store_with_one_event();

  EXPECT_EQ(query_text(path, "PRAGMA journal_mode"), "wal");
}

// SQLite's compiled-in default is synchronous=FULL on some builds and NORMAL (no sync at a
// WAL commit) on others, so every connection here starts at NORMAL: only a store that asks
// for FULL itself passes.
TEST_F(SqliteStore, EveryAppendIsSyncedToDiskBeforeItReturns) {
  testing::weak_sync_default no_sync_by_default;
  testing::sync_probe_vfs probe;
  auto store = open();
  ASSERT_TRUE(store);

  for (std::uint64_t version = 0; version < 3; ++version) {
    probe.reset_wal_syncs();
    ASSERT_TRUE(store->append(make_request("Account-1", version)).ok());
    EXPECT_GE(probe.wal_syncs(), 1) << "append " << version + 1 << " returned unsynced";
  }
}

// An at-least-once projection's checkpoint needs no fsync (a lost one means redelivery), so
// save_checkpoint_unsynced does not sync; save_checkpoint still does, and so does the next
// append (the writer is back at FULL).
TEST_F(SqliteStore, UnsyncedCheckpointIsSavedWithoutASyncAndAppendsStaySynced) {
  testing::sync_probe_vfs probe;
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->append(make_request("Account-1", 0)).ok());

  probe.reset_wal_syncs();
  ASSERT_TRUE(store->save_checkpoint_unsynced("users_by_email", 1).ok());
  EXPECT_EQ(probe.wal_syncs(), 0) << "the unsynced checkpoint was synced";
  EXPECT_EQ(*store->read_checkpoint("users_by_email"), 1u);

  probe.reset_wal_syncs();
  ASSERT_TRUE(store->append(make_request("Account-1", 1)).ok());
  EXPECT_GE(probe.wal_syncs(), 1) << "an append after an unsynced checkpoint returned unsynced";

  probe.reset_wal_syncs();
  ASSERT_TRUE(store->save_checkpoint("users_by_email", 2).ok());
  EXPECT_GE(probe.wal_syncs(), 1) << "save_checkpoint returned unsynced";
}

TEST_F(SqliteStore, FailedCommitIsUnavailableWithAnUnknownOutcome) {
  testing::sync_probe_vfs probe;
  auto store = open();
  ASSERT_TRUE(store);
  probe.fail_next_wal_sync();

  auto appended = store->append(make_request("Account-1", 0));

  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.kind(), error_kind::store_unavailable);
  EXPECT_TRUE(mentions(appended.error_value(), path)) << appended.error_value();
  EXPECT_TRUE(mentions(appended.error_value(), "COMMIT failed")) << appended.error_value();
  EXPECT_TRUE(mentions(appended.error_value(), "the outcome is unknown")) << appended.error_value();
  EXPECT_TRUE(mentions(appended.error_value(), "re-read the stream")) << appended.error_value();
}

TEST_F(SqliteStore, FailedCommitKeepsTheErrorOfARequestThatFailedOnItsOwn) {
  testing::sync_probe_vfs probe;
  auto store = open();
  ASSERT_TRUE(store);
  probe.fail_next_wal_sync();

  auto results = store->append_batch({make_request("Account-1", 0), make_request("Account-2", 7)});

  ASSERT_EQ(results.size(), 2u);
  ASSERT_FALSE(results[0].ok());
  EXPECT_TRUE(mentions(results[0].error_value(), "the outcome is unknown"))
      << results[0].error_value();
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].kind(), error_kind::conflict) << results[1].error_value();
}

TEST_F(SqliteStore, StoreAppendsAgainAfterAFailedCommit) {
  testing::sync_probe_vfs probe;
  auto store = open();
  ASSERT_TRUE(store);
  probe.fail_next_wal_sync();
  ASSERT_FALSE(store->append(make_request("Account-1", 0)).ok());

  auto version = store->stream_version("Account-1");
  ASSERT_TRUE(version.ok()) << version.error_value();
  auto appended = store->append(make_request("Account-1", *version));

  ASSERT_TRUE(appended.ok()) << appended.error_value();
  EXPECT_EQ(*store->stream_version("Account-1"), *version + 1);
}

TEST_F(SqliteStore, TwoStoresOnOneFileLetExactlyOneOfTwoEqualAppendsWin) {
  auto first = open();
  auto second = open();
  ASSERT_TRUE(first && second);
  std::promise<void> start;
  std::shared_future<void> started = start.get_future().share();
  auto append_from = [&](std::shared_ptr<event_store> store) {
    return std::async(std::launch::async, [store, started] {
      started.wait();
      return store->append(make_request("Account-1", 0));
    });
  };
  auto first_outcome = append_from(first);
  auto second_outcome = append_from(second);

  start.set_value();
  auto first_result = first_outcome.get();
  auto second_result = second_outcome.get();

  ASSERT_NE(first_result.ok(), second_result.ok());
  const auto& loser = first_result.ok() ? second_result : first_result;
  EXPECT_EQ(loser.kind(), error_kind::conflict) << loser.error_value();
  EXPECT_EQ(*first->stream_version("Account-1"), 1u);
  EXPECT_EQ(*second->stream_version("Account-1"), 1u);
}

TEST_F(SqliteStore, AppendChecksTheVersionAnotherStoreOnTheSameFileWrote) {
  auto first = open();
  auto second = open();
  ASSERT_TRUE(first->append(make_request("Account-1", 0)).ok());

  auto stale = second->append(make_request("Account-1", 0));
  auto current = second->append(make_request("Account-1", 1));

  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.kind(), error_kind::conflict);
  ASSERT_TRUE(current.ok()) << current.error_value();
  EXPECT_EQ((*current)[0].position, 2u);
  EXPECT_EQ(first->read_stream("Account-1")->size(), 2u);
}

TEST_F(SqliteStore, AppendSeesAnotherStoresWriteToAStreamItAppendedToBefore) {
  auto first = open();
  auto second = open();
  ASSERT_TRUE(second->append(make_request("Account-1", 0)).ok());
  ASSERT_TRUE(first->append(make_request("Account-1", 1)).ok());

  auto stale = second->append(make_request("Account-1", 1));
  auto current = second->append(make_request("Account-1", 2));

  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.kind(), error_kind::conflict) << stale.error_value();
  ASSERT_TRUE(current.ok()) << current.error_value();
  EXPECT_EQ((*current)[0].version, 3u);
  EXPECT_EQ((*current)[0].position, 3u);
}

TEST_F(SqliteStore, AppendSeesAStreamAnotherProgramChangedInTheFile) {
  auto store = open();
  ASSERT_TRUE(store->append(make_request("Account-1", 0)).ok());
  run_sql(path, "UPDATE streams SET version = 5 WHERE name = 'Account-1'");

  auto stale = store->append(make_request("Account-1", 1));

  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.kind(), error_kind::conflict) << stale.error_value();
}

TEST_F(SqliteStore, LockedFileMakesEveryRequestOfTheBatchUnavailable) {
  sqlite_options options;
  options.busy_timeout_ms = 50;
  auto store = open(options);
  sqlite_connection other_process(path, SQLITE_OPEN_READWRITE, 0);
  other_process.execute("BEGIN IMMEDIATE");

  auto results = store->append_batch({make_request("Account-1", 0), make_request("Account-2", 0)});

  ASSERT_EQ(results.size(), 2u);
  for (const auto& result : results) {
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.kind(), error_kind::store_unavailable);
    EXPECT_TRUE(mentions(result.error_value(), path));
    EXPECT_TRUE(mentions(result.error_value(), "nothing was written")) << result.error_value();
  }
  other_process.execute("ROLLBACK");
  EXPECT_EQ(*store->last_position(), 0u);
}

TEST_F(SqliteStore, MovingBatchTakesTheEventsStringsInsteadOfCopyingThem) {
  auto store = open();
  append_request request = make_request("Account-1", 0);
  request.events[0].payload = "{\"text\":\"" + std::string(100, 'x') + "\"}";
  const char* payload_buffer = request.events[0].payload.data();
  std::vector<append_request> batch;
  batch.push_back(std::move(request));

  auto results = store->append_batch_moving(std::move(batch));

  ASSERT_EQ(results.size(), 1u);
  ASSERT_TRUE(results[0].ok()) << results[0].error_value();
  EXPECT_EQ((*results[0])[0].payload.data(), payload_buffer);
  EXPECT_EQ(store->read_stream("Account-1")->at(0).payload, (*results[0])[0].payload);
}

TEST_F(SqliteStore, MovingBatchThatFailsMidwayReportsItsMovedRequestsAsNotWritten) {
  create_store_with_one_event();
  // An insert that SQLite refuses, as a full disk would, after the first request has moved
  // its strings into its recorded events.
  run_sql(path,
          "CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.type = 'Refused'"
          " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  auto store = open();
  append_request refused = make_request("Account-3", 0);
  refused.events[0].type = "Refused";
  std::vector<append_request> batch;
  batch.push_back(make_request("Account-2-a-stream-name-longer-than-a-small-string", 0));
  batch.push_back(make_request("", 0));
  batch.push_back(std::move(refused));
  batch.push_back(make_request("Account-4", 0));

  auto results = store->append_batch_moving(std::move(batch));

  ASSERT_EQ(results.size(), 4u);
  for (std::size_t i : {0u, 2u, 3u}) {
    ASSERT_FALSE(results[i].ok()) << "request " << i;
    EXPECT_EQ(results[i].kind(), error_kind::store_unavailable) << results[i].error_value();
    EXPECT_TRUE(mentions(results[i].error_value(), "nothing was written"))
        << results[i].error_value();
  }
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].kind(), error_kind::invalid_argument);
  EXPECT_EQ(*store->last_position(), 1u);
}

}  // namespace
}  // namespace esk
