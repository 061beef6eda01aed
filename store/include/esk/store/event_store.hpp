// esk/store/event_store.hpp — the one contract every event store backend fulfils.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "esk/result.hpp"
#include "esk/store/commit_listener.hpp"
#include "esk/store/recorded_event.hpp"
#include "esk/store/snapshot.hpp"

namespace esk {

// What a stream looks like from outside.
struct stream_info {
  std::string stream;
  std::uint64_t version = 0;  // the version of its last event (= its event count)
  std::uint64_t last_position = 0;
};

// How many events read_all returns when the caller names no limit: one page, so a plain
// `read_all()` never loads a whole (possibly huge) log into memory. Read the next page from
// the last event's position + 1; a page shorter than its limit is the end of the log.
inline constexpr std::size_t default_read_limit = 1000;

// The gap wait: how long appends waited for other appends (of this process or others) to end
// their transactions before taking their positions, which a store shared by several processes
// makes them do so that positions become visible in position order and a reader never skips
// one (PostgreSQL: the append lock). Counted since the store was opened, by this process.
struct gap_wait_statistics {
  std::uint64_t waits = 0;             // append transactions (batches) that had to wait
  std::chrono::microseconds total{0};  // how long they waited, summed
};

// An append-only log of events, partitioned into streams.
//
// Guarantees of every backend:
// - append is conditional: it commits only if the stream's current version equals the
//   request's expected_version, else it fails with error_kind::conflict and writes nothing;
// - versions are 1-based and gap-free per stream; positions strictly increase over the log;
// - an append either commits all its events or none of them;
// - once append returned success, the events survive a process crash (durable backends).
// All member functions are safe to call from several threads at once; calls block.
//
// A failed append is one of two kinds of store_unavailable, told apart by the message:
// - it failed before the commit ("nothing was written"): retrying is safe;
// - the commit itself failed, e.g. fsync reported an I/O error or the disk filled while the
//   commit was written ("outcome unknown"): the events may or may not be in the log, now or
//   after a restart. Re-read the stream (its version tells) before deciding to retry, as
//   with LevelDB's indeterminate log writes.
class event_store {
 public:
  virtual ~event_store() = default;

  // Appends request.events to request.stream if it is at request.expected_version.
  // Returns the recorded events (with versions and positions), or conflict,
  // invalid_argument (empty stream or no events) or store_unavailable (see above: nothing
  // written, or outcome unknown).
  virtual result<std::vector<recorded_event>> append(const append_request& request);

  // Group commit: applies each request in order inside one durable transaction (one fsync).
  // Each request succeeds or fails on its own (a conflict or an invalid request fails only
  // that request); if the transaction itself fails, every valid request fails with
  // store_unavailable: before the commit none is written; when the commit fails, the
  // requests that would have succeeded report an unknown outcome (see above).
  // Returns one result per request, in order.
  virtual std::vector<result<std::vector<recorded_event>>> append_batch(
      const std::vector<append_request>& requests) = 0;

  // append_batch for a caller that no longer needs the requests: same results and guarantees,
  // but a backend may move the requests' strings out of `requests` (the in-memory store moves
  // the events' strings, and each stream name once, into the recorded events it returns
  // instead of copying them). Afterwards `requests` is valid but unspecified (clear it before
  // reuse). The default calls append_batch, so a
  // store (or a wrapper deriving from forwarding_store) that overrides only append_batch keeps
  // its behaviour; a separate name, so that overriding one does not hide the other.
  virtual std::vector<result<std::vector<recorded_event>>> append_batch_moving(
      std::vector<append_request>&& requests);

  // append_batch_moving with its results written to `results` (replacing what it held), so
  // that a caller committing batch after batch reuses that vector's memory. Same results and
  // guarantees. The default assigns append_batch_moving's answer (no reuse); the in-memory
  // store fills `results` in place.
  virtual void append_batch_moving_into(std::vector<append_request>&& requests,
                                        std::vector<result<std::vector<recorded_event>>>& results);

  // Reads up to `limit` events of `stream` with version >= from_version, in version order.
  // The default reads the whole stream (what rehydrating an aggregate needs).
  // A stream that does not exist reads as empty. Errors: store_unavailable.
  virtual result<std::vector<recorded_event>> read_stream(const std::string& stream,
                                                          std::uint64_t from_version = 1,
                                                          std::size_t limit = SIZE_MAX) = 0;

  // Reads up to `limit` events with position >= from_position, in position order; by default
  // one page of default_read_limit events, not the whole log (pass SIZE_MAX for everything).
  // Errors: store_unavailable.
  virtual result<std::vector<recorded_event>> read_all(std::uint64_t from_position = 1,
                                                       std::size_t limit = default_read_limit) = 0;

  // What rehydrating an aggregate reads of `stream` from from_version on: as read_stream, but
  // only what applying the events and remembering their commands needs is sure to be filled in:
  // each event's stream, version, position, type, payload and metadata.command_id. A backend
  // may leave the rest of the metadata empty, to read less (SQLite does); by default it is
  // read_stream, with everything. Errors: as read_stream.
  virtual result<std::vector<recorded_event>> read_stream_to_rehydrate(
      const std::string& stream, std::uint64_t from_version = 1);

  // Reading into a page the caller keeps: as read_stream and read_all, but the events land in
  // `page`, which on success holds exactly the events read, in order. Its earlier elements are
  // overwritten in place, so a caller that reads page after page into the same vector lets a
  // backend reuse their strings' memory instead of allocating anew for every event (SQLite
  // does; the default reads with read_stream / read_all and moves the events in). On error
  // `page` is valid but its contents are unspecified. Errors: as read_stream / read_all.
  virtual status read_stream_into(std::vector<recorded_event>& page, const std::string& stream,
                                  std::uint64_t from_version = 1, std::size_t limit = SIZE_MAX);
  virtual status read_all_into(std::vector<recorded_event>& page, std::uint64_t from_position = 1,
                               std::size_t limit = default_read_limit);

  // The rehydration read page by page: as read_stream_to_rehydrate, at most `limit` events, into
  // `page` as read_stream_into (earlier elements overwritten in place). Only what
  // read_stream_to_rehydrate fills in is sure to be right; the rest of each event's metadata is
  // unspecified (it may hold what the page held before). A page shorter than `limit` is the end
  // of the stream. By default read_stream_into. Errors: as read_stream.
  virtual status read_stream_to_rehydrate_into(std::vector<recorded_event>& page,
                                               const std::string& stream,
                                               std::uint64_t from_version, std::size_t limit);

  // The current version of `stream` (0 when it has no events). Errors: store_unavailable.
  virtual result<std::uint64_t> stream_version(const std::string& stream) = 0;

  // The position of the last committed event (0 for an empty store). Errors: store_unavailable.
  virtual result<std::uint64_t> last_position() = 0;

  // Up to `limit` streams whose names are >= from_name (byte order), ordered by name, each
  // with its version; by default every stream. Page through all of them by asking for one more
  // than a page: the extra stream's name is the next page's from_name. A backend never holds
  // more than a page of names to answer (the in-memory one aside, which holds all anyway).
  // Errors: store_unavailable.
  virtual result<std::vector<stream_info>> list_streams(const std::string& from_name = {},
                                                        std::size_t limit = SIZE_MAX) = 0;

  // Snapshots. A store keeps at most one snapshot per stream: the last one written, whatever
  // its schema version (a snapshot only saves replay time, so losing an older one loses
  // nothing). They live beside the log and never change it: events stay the truth.

  // Saves `taken` as the snapshot of taken.stream, replacing the one kept before. Durable
  // backends need not sync it to disk before returning (a lost snapshot costs only replay).
  // Errors: invalid_argument (empty stream, version 0), store_unavailable (including a store
  // opened read-only, and the default: a backend that keeps no snapshots). Blocks.
  virtual status write_snapshot(const snapshot& taken);

  // The snapshot kept for `stream`, of whatever schema version (the caller must check it
  // against the layout it expects), or nullopt when there is none (the default: a backend
  // that keeps no snapshots). Errors: store_unavailable. Blocks.
  virtual result<std::optional<snapshot>> read_snapshot(const std::string& stream);

  // Projection checkpoints: how far a projection named `projection` has applied the log (a
  // global position), kept beside the log so a projection whose read model lives elsewhere
  // resumes after it on restart (at-least-once: it saves the checkpoint after applying, so the
  // events after the checkpoint may have been applied already). One per projection name.

  // Saves `position` as the checkpoint of `projection`, replacing the one kept before.
  // Durable backends make it durable before returning, as an append. Errors: invalid_argument
  // (empty name), store_unavailable (including a store opened read-only, and the default: a
  // backend that keeps no checkpoints). Blocks.
  virtual status save_checkpoint(const std::string& projection, std::uint64_t position);

  // As save_checkpoint, without waiting for the disk: the saved checkpoint survives the process
  // crashing, but a crash of the machine (power loss, kernel panic) may lose it and leave an
  // earlier one, so the events after that one are delivered again. Meant for at-least-once
  // projections, which redeliver after a crash anyway; the next durable write to the store
  // (an append) makes it durable too. By default save_checkpoint (durable). Errors: as
  // save_checkpoint. Blocks.
  virtual status save_checkpoint_unsynced(const std::string& projection, std::uint64_t position);

  // The checkpoint saved for `projection`, 0 when none was saved. Errors: store_unavailable
  // (including the default: a backend that keeps no checkpoints). Blocks.
  virtual result<std::uint64_t> read_checkpoint(const std::string& projection);

  // Opens a listener that learns promptly of commits to this store by any process (this one
  // included), for a store that other processes write to as well. Returns nullptr when the
  // backend announces nothing (the default; in-memory and SQLite stores): callers then learn of
  // other processes' commits only by reading. Errors: store_unavailable. Blocks while opening.
  virtual result<std::unique_ptr<commit_listener>> listen_for_commits();

  // The gap wait of this process's appends so far; zeros by default (a store whose appends
  // never wait for one another's, or that does not measure it). Thread-safe. Never blocks.
  virtual gap_wait_statistics gap_waits() const;
};

}  // namespace esk
