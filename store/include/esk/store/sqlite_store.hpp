// esk/store/sqlite_store.hpp — the embedded, durable default store: one SQLite file.
#pragma once

#include <memory>
#include <string>

#include "esk/result.hpp"
#include "esk/store/event_store.hpp"

namespace esk {

// How to open a SQLite store.
struct sqlite_options {
  bool create_if_missing = true;  // false: a missing file is store_unavailable
  bool read_only = false;         // write neither the file nor anything beside it
                                  // (no -wal/-shm): works in a folder the user cannot write
  int busy_timeout_ms = 5000;     // how long to wait for another process's write lock
  int read_connections = 4;       // at most this many reads run at once, each on its own
                                  // read-only connection (opened when reads first overlap);
                                  // a read waits for a free one beyond it. At least 1.
};

// The schema version this build writes and understands. Version 2 added the snapshots table,
// version 3 the projection checkpoints; a writable open migrates an older store (adds the
// missing empty tables, in one transaction); a read-only open reads it as it is, without
// snapshots (and, read-only, a store keeps no checkpoints of its own).
inline constexpr int sqlite_schema_version = 3;

// The oldest schema version this build opens (read-only as it is, writable after migrating).
inline constexpr int sqlite_oldest_schema_version = 1;

// Opens (or creates) the store in the file at `path`: WAL journal, synchronous=FULL, so an
// append that returned success survives a crash or power loss. Several processes may share
// one file, and may open (and so create) a new one at the same moment: exactly one creates
// the schema, the others find it. Appends are serialized by SQLite's write lock and checked
// by version. Waits up to busy_timeout_ms for another process's lock.
// read_only: the store only reads, and writes no file: without a -wal file (no writer has the
// store open) it reads the file without locks, and a read fails with store_unavailable once a
// writer opened the store meanwhile (run it again); with a -wal file it reads through the log
// with shared locks, which needs the -shm index beside it (else store_unavailable says so).
// Reads (read_stream, read_all, stream_version, last_position, list_streams, read_snapshot) from
// several threads run in parallel, up to read_connections at once, also while an append writes:
// each sees the last commit before it started.
// Errors: invalid_argument when read_connections < 1; incompatible_store for a file that is not a
// SQLite database, is a database of another application, or has a newer (or older than
// sqlite_oldest_schema_version) schema; store_unavailable "cannot open store '<path>': is a
// directory" for a directory, and store_unavailable when the file cannot be opened or created
// (missing directory, permissions, missing with !create_if_missing or read_only). Blocks while
// opening.
result<std::shared_ptr<event_store>> open_sqlite_store(const std::string& path,
                                                       const sqlite_options& options = {});

}  // namespace esk
