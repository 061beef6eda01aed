// read_only_access.hpp — how a read-only store opens its file without writing anything beside
// it: no -wal, no -shm, so it works in a folder the user cannot write and leaves no trace.
#pragma once

#include <optional>
#include <string>

#include "esk/error.hpp"
#include "sqlite_connection.hpp"

namespace esk {

// The SQLite URI a read-only store opens, and whether it reads without locks.
struct read_only_access {
  std::string uri;              // file:<path>?mode=ro or file:<path>?immutable=1
  bool immutable = false;       // true: a writer that appears later is not seen (see below)
  std::string write_ahead_log;  // <path>-wal, whose appearance ends an immutable read
};

// Chooses how to open `path` read-only. SQLite can read a WAL-mode file in two ways:
// - mode=ro: with locks, through the write-ahead log, so it sees every commit, also those of a
//   writer running now; but it needs the -wal and -shm files, and creates them (and leaves
//   them behind) when they are missing, or fails where it cannot create them.
// - immutable=1: the file alone, no locks, no -wal or -shm; right only while no writer is
//   active, since it neither reads a write-ahead log nor notices a checkpoint rewriting pages.
// A WAL-mode file has no -wal exactly when no connection has it open (the last one to close
// folds the log into the file and deletes it), so: with a -wal, mode=ro (a writer may be at
// work, or left commits in the log); without one, immutable=1. Never fails.
read_only_access choose_read_only_access(const std::string& path);

// The error for `failure` while opening or first reading `path` through `access`: one line
// that says why a read-only open cannot work when that is the case (a write-ahead log that
// cannot be read without write access to the folder). Never fails.
error read_only_open_failure(const std::string& path, const read_only_access& access,
                             const sqlite_failure& failure);

// store_unavailable if an immutable read of `path` may have overlapped a writer (its
// write-ahead log exists now); empty otherwise, and always for mode=ro.
std::optional<error> writer_appeared(const std::string& path, const read_only_access& access);

}  // namespace esk
