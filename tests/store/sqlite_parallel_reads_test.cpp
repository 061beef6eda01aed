// What the SQLite backend promises about reads from several threads: they run at once, each on
// a connection of its own (up to sqlite_options::read_connections, opened only when reads
// overlap), and each sees the last commit, also while another connection is writing.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "esk/store/sqlite_store.hpp"
#include "sqlite_connection.hpp"
#include "store_test_events.hpp"
#include "sync_probe_vfs.hpp"
#include "temporary_directory.hpp"

namespace esk {
namespace {

using testing::make_request;

// Holds each thread that reads from a file until `expected` threads are reading at once, then
// lets every read through for good. So a test whose reads overlap passes at once; one whose
// reads are serialized would wait forever: after `give_up_after` the gate opens anyway and
// reports that they did not overlap.
class read_rendezvous {
 public:
  explicit read_rendezvous(std::size_t expected) : expected_(expected) {}

  // Called before every read from a file (sync_probe_vfs::on_every_read).
  void arrive() {
    std::unique_lock lock(mutex_);
    if (open_) return;
    arrived_.insert(std::this_thread::get_id());
    if (arrived_.size() == expected_) {
      open_ = true;
      everyone_arrived_ = true;
      changed_.notify_all();
      return;
    }
    if (!changed_.wait_for(lock, give_up_after, [&] { return open_; })) {
      open_ = true;
      changed_.notify_all();
    }
  }

  // True when `expected` threads were inside a read at the same moment.
  bool everyone_arrived() {
    std::lock_guard lock(mutex_);
    return everyone_arrived_;
  }

  // How many threads were inside a read at once, at most, before the gate opened.
  std::size_t most_at_once() {
    std::lock_guard lock(mutex_);
    return arrived_.size();
  }

 private:
  static constexpr std::chrono::seconds give_up_after{20};
  const std::size_t expected_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::set<std::thread::id> arrived_;
  bool open_ = false;
  bool everyone_arrived_ = false;
};

// Runs `read(i)` for each i below `count`, each on a thread of its own, and waits for all.
void read_on_threads(std::size_t count, const std::function<void(std::size_t)>& read) {
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < count; ++i) threads.emplace_back(read, i);
  for (auto& thread : threads) thread.join();
}

class SqliteParallelReads : public ::testing::Test {
 protected:
  std::shared_ptr<event_store> open(const sqlite_options& options = {}) {
    auto opened = open_sqlite_store(path, options);
    EXPECT_TRUE(opened.ok()) << opened.error_value();
    return opened.ok() ? *opened : nullptr;
  }

  // Opens the store with `read_connections` and writes Account-1 (2 events), Account-2 (1)
  // and a snapshot of Account-1.
  std::shared_ptr<event_store> open_with_events(int read_connections) {
    sqlite_options options;
    options.read_connections = read_connections;
    auto store = open(options);
    if (!store) return nullptr;
    EXPECT_TRUE(store->append(make_request("Account-1", 0, 2)).ok());
    EXPECT_TRUE(store->append(make_request("Account-2", 0)).ok());
    EXPECT_TRUE(store->write_snapshot({"Account-1", 2, 1, "{\"balance\":2}", "now"}).ok());
    return store;
  }

  // Runs `read(i)` on `count` threads at once, each held inside its read until all `count`
  // are inside one; expects that they were.
  void read_at_once(std::size_t count, const std::function<void(std::size_t)>& read) {
    read_rendezvous rendezvous(count);
    probe.on_every_read([&] { rendezvous.arrive(); });
    read_on_threads(count, read);
    probe.on_every_read({});
    EXPECT_TRUE(rendezvous.everyone_arrived())
        << "only " << rendezvous.most_at_once() << " of " << count << " reads ran at once";
  }

  testing::sync_probe_vfs probe;  // before the store, so that it sees every connection
  testing::temporary_directory directory;
  std::string path = directory.file("events.db");
};

// Each of the six reads checks what it read: 2 and 1 events in two streams, one snapshot.
void expect_read_number(event_store& store, std::size_t which) {
  switch (which % 6) {
    case 0: {
      auto events = store.read_stream("Account-1");
      ASSERT_TRUE(events.ok()) << events.error_value();
      EXPECT_EQ(events->size(), 2u);
      break;
    }
    case 1: {
      auto events = store.read_all();
      ASSERT_TRUE(events.ok()) << events.error_value();
      EXPECT_EQ(events->size(), 3u);
      break;
    }
    case 2: {
      auto version = store.stream_version("Account-2");
      ASSERT_TRUE(version.ok()) << version.error_value();
      EXPECT_EQ(*version, 1u);
      break;
    }
    case 3: {
      auto position = store.last_position();
      ASSERT_TRUE(position.ok()) << position.error_value();
      EXPECT_EQ(*position, 3u);
      break;
    }
    case 4: {
      auto streams = store.list_streams();
      ASSERT_TRUE(streams.ok()) << streams.error_value();
      EXPECT_EQ(streams->size(), 2u);
      break;
    }
    case 5: {
      auto taken = store.read_snapshot("Account-1");
      ASSERT_TRUE(taken.ok()) << taken.error_value();
      ASSERT_TRUE(taken->has_value());
      EXPECT_EQ((*taken)->version, 2u);
      break;
    }
  }
}

TEST_F(SqliteParallelReads, EveryKindOfReadRunsAtOnceWithTheOthers) {
  auto store = open_with_events(6);
  ASSERT_TRUE(store);

  read_at_once(6, [&](std::size_t which) { expect_read_number(*store, which); });
}

TEST_F(SqliteParallelReads, ReadsWhileAnotherConnectionWritesSeeTheLastCommit) {
  auto store = open_with_events(3);
  ASSERT_TRUE(store);
  sqlite_connection other_writer(path, SQLITE_OPEN_READWRITE, 1000);
  other_writer.execute(
      "BEGIN IMMEDIATE;"
      " UPDATE streams SET version = 3 WHERE name = 'Account-1';"
      " INSERT INTO events(stream_id, version, type, payload, event_id, recorded_at)"
      " SELECT stream_id, 3, 'Happened', '{}', 'uncommitted', 'now' FROM streams"
      " WHERE name = 'Account-1';");

  read_at_once(3, [&](std::size_t) {
    EXPECT_EQ(store->read_stream("Account-1")->size(), 2u);
    EXPECT_EQ(*store->stream_version("Account-1"), 2u);
    EXPECT_EQ(*store->last_position(), 3u);
  });
  other_writer.execute("COMMIT");

  read_at_once(3, [&](std::size_t) {
    EXPECT_EQ(store->read_stream("Account-1")->size(), 3u);
    EXPECT_EQ(*store->stream_version("Account-1"), 3u);
    EXPECT_EQ(*store->last_position(), 4u);
  });
}

TEST_F(SqliteParallelReads, ReadsOneAfterAnotherShareOneConnection) {
  auto store = open_with_events(4);
  ASSERT_TRUE(store);
  const int opened_before = probe.database_opens();

  for (std::size_t which = 0; which < 12; ++which) expect_read_number(*store, which);

  EXPECT_EQ(probe.database_opens(), opened_before) << "sequential reads opened connections";
  EXPECT_EQ(opened_before, 2) << "the store opens its writer and one reader";
}

// Whether the third read finds a connection returned or must wait for one depends on timing;
// either way no more than two readers are ever opened.
TEST_F(SqliteParallelReads, OverlappingReadsBeyondTheLimitWaitForAConnection) {
  auto store = open_with_events(2);
  ASSERT_TRUE(store);

  read_on_threads(8, [&](std::size_t which) { expect_read_number(*store, which); });

  EXPECT_LE(probe.database_opens(), 1 + 2) << "the writer and at most two readers";
}

TEST_F(SqliteParallelReads, OneReadConnectionServesReadsFromManyThreads) {
  auto store = open_with_events(1);
  ASSERT_TRUE(store);

  read_on_threads(12, [&](std::size_t which) { expect_read_number(*store, which); });

  EXPECT_EQ(probe.database_opens(), 1 + 1) << "the writer and one reader";
}

TEST_F(SqliteParallelReads, ReadOnlyStoreWithoutAWriterReadsInParallel) {
  { ASSERT_TRUE(open_with_events(1)); }  // closed: no -wal left, read without locks
  sqlite_options read_only;
  read_only.read_only = true;
  read_only.read_connections = 6;
  auto store = open(read_only);
  ASSERT_TRUE(store);

  read_at_once(6, [&](std::size_t which) { expect_read_number(*store, which); });
}

TEST_F(SqliteParallelReads, ReadOnlyStoreBesideAWriterReadsInParallel) {
  auto writer = open_with_events(1);  // open: reads go through its write-ahead log
  ASSERT_TRUE(writer);
  sqlite_options read_only;
  read_only.read_only = true;
  read_only.read_connections = 6;
  auto store = open(read_only);
  ASSERT_TRUE(store);

  read_at_once(6, [&](std::size_t which) { expect_read_number(*store, which); });
}

TEST_F(SqliteParallelReads, FewerThanOneReadConnectionIsAnInvalidArgument) {
  sqlite_options options;
  options.read_connections = 0;

  auto opened = open_sqlite_store(path, options);

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.kind(), error_kind::invalid_argument);
  EXPECT_NE(opened.error_value().message.find("read_connections"), std::string::npos)
      << opened.error_value();
  EXPECT_FALSE(std::filesystem::exists(path)) << "an invalid option created the file";
}

}  // namespace
}  // namespace esk
