// sync_probe_vfs.hpp — a SQLite VFS for tests that watches fsync: it wraps the default VFS,
// counts the syncs of write-ahead log files and can make the next one fail with an I/O error,
// as a failing disk would. It also counts the database files opened (one per connection) and
// can call a test's hook on every read from a file. While it lives it is SQLite's default VFS,
// so a store under test uses it without knowing.
#pragma once

#include <atomic>
#include <functional>
#include <utility>

struct sqlite3_vfs;

namespace esk::testing {

class sync_probe_vfs {
 public:
  // Registers the probe as the default VFS. REQUIRES: no other probe lives.
  sync_probe_vfs();
  // Makes the VFS that was the default before the default again.
  ~sync_probe_vfs();
  sync_probe_vfs(const sync_probe_vfs&) = delete;
  sync_probe_vfs& operator=(const sync_probe_vfs&) = delete;

  // How many times a write-ahead log file was synced since the probe was made (or reset).
  int wal_syncs() const { return wal_syncs_; }
  void reset_wal_syncs() { wal_syncs_ = 0; }

  // The next sync of a write-ahead log file fails with SQLITE_IOERR_FSYNC (and is counted).
  void fail_next_wal_sync() { fail_next_wal_sync_ = true; }

  // How many main database files were opened since the probe was made: one per connection.
  int database_opens() const { return database_opens_; }

  // Calls `hook` (on the reading thread) before every read from any file; empty: none.
  // REQUIRES: no connection reads while the hook is set or cleared.
  void on_every_read(std::function<void()> hook) { read_hook_ = std::move(hook); }

 private:
  friend struct sync_probe_access;
  sqlite3_vfs* wrapped_;
  std::atomic<int> wal_syncs_{0};
  std::atomic<bool> fail_next_wal_sync_{false};
  std::atomic<int> database_opens_{0};
  std::function<void()> read_hook_;
};

// Makes every SQLite connection opened while it lives start with PRAGMA synchronous=NORMAL,
// as a SQLite built with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1 does: in WAL mode a commit then
// does not sync. Lets a test see whether the store itself asks for FULL.
class weak_sync_default {
 public:
  weak_sync_default();
  ~weak_sync_default();
  weak_sync_default(const weak_sync_default&) = delete;
  weak_sync_default& operator=(const weak_sync_default&) = delete;
};

}  // namespace esk::testing
