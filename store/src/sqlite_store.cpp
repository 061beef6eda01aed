#include "esk/store/sqlite_store.hpp"

#include <sqlite3.h>

#include <cstddef>
#include <filesystem>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "append_checks.hpp"
#include "known_streams.hpp"
#include "read_only_access.hpp"
#include "sqlite_checkpoints.hpp"
#include "sqlite_connection.hpp"
#include "sqlite_reader_pool.hpp"
#include "sqlite_schema.hpp"

namespace esk {
namespace {

// Reading: read_stream selects the columns that read_stream_event expects, read_all those that
// read_event expects, in this order. read_stream finds the stream's ID once instead of joining
// every row to its stream, and takes the stream name from the caller.
constexpr std::string_view read_stream_sql =
    "SELECT version, position, type, payload, event_id, command_id, correlation_id,"
    " causation_id, recorded_at FROM events"
    " WHERE stream_id = (SELECT stream_id FROM streams WHERE name = ?1) AND version >= ?2"
    " ORDER BY version LIMIT ?3";
constexpr std::string_view read_all_sql =
    "SELECT s.name, e.version, e.position, e.type, e.payload, e.event_id, e.command_id,"
    " e.correlation_id, e.causation_id, e.recorded_at"
    " FROM events e JOIN streams s ON s.stream_id = e.stream_id"
    " WHERE e.position >= ?1 ORDER BY e.position LIMIT ?2";
constexpr std::string_view read_to_rehydrate_sql =
    "SELECT version, position, type, payload, command_id FROM events"
    " WHERE stream_id = (SELECT stream_id FROM streams WHERE name = ?1) AND version >= ?2"
    " ORDER BY version";
constexpr std::string_view read_page_to_rehydrate_sql =
    "SELECT version, position, type, payload, command_id FROM events"
    " WHERE stream_id = (SELECT stream_id FROM streams WHERE name = ?1) AND version >= ?2"
    " ORDER BY version LIMIT ?3";
constexpr std::string_view stream_version_sql = "SELECT version FROM streams WHERE name = ?1";
constexpr std::string_view last_position_sql = "SELECT coalesce(max(position), 0) FROM events";
constexpr std::string_view list_streams_sql =
    "SELECT s.name, s.version, e.position FROM streams s"
    " JOIN events e ON e.stream_id = s.stream_id AND e.version = s.version"
    " WHERE s.name >= ?1 ORDER BY s.name LIMIT ?2";

// Appending.
constexpr std::string_view find_stream_sql =
    "SELECT stream_id, version FROM streams WHERE name = ?1";
constexpr std::string_view insert_stream_sql = "INSERT INTO streams(name, version) VALUES(?1, ?2)";
constexpr std::string_view update_stream_sql =
    "UPDATE streams SET version = ?2 WHERE stream_id = ?1";
constexpr std::string_view insert_event_sql =
    "INSERT INTO events(stream_id, version, type, payload, event_id, command_id,"
    " correlation_id, causation_id, recorded_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

// Snapshots (schema version 2 on).
constexpr std::string_view write_snapshot_sql =
    "INSERT OR REPLACE INTO snapshots(stream, version, schema_version, state, taken_at)"
    " VALUES(?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view read_snapshot_sql =
    "SELECT version, schema_version, state, taken_at FROM snapshots WHERE stream = ?1";

// SQLite integers are signed; our versions, positions and limits are not.
std::int64_t as_sql_integer(std::uint64_t value) {
  constexpr auto largest = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(value < largest ? value : largest);
}

// Reads the row's columns from `first` on: version, position, type, payload and metadata.
recorded_event read_event_columns(const sqlite_statement& row, std::string stream, int first) {
  return {std::move(stream),
          static_cast<std::uint64_t>(row.column_int64(first)),
          static_cast<std::uint64_t>(row.column_int64(first + 1)),
          row.column_text(first + 2),
          row.column_text(first + 3),
          {row.column_text(first + 4), row.column_text(first + 5), row.column_text(first + 6),
           row.column_text(first + 7), row.column_text(first + 8)}};
}

// A row of read_all_sql.
recorded_event read_event(const sqlite_statement& row) {
  return read_event_columns(row, row.column_text(0), 1);
}

// A row of read_stream_sql, an event of `stream`.
recorded_event read_stream_event(const sqlite_statement& row, const std::string& stream) {
  return read_event_columns(row, stream, 0);
}

// Overwrites `event` with the row's columns from `first` on (as read_event_columns), reusing
// the memory its strings already hold: no allocation unless a value outgrows it.
void assign_event_columns(recorded_event& event, const sqlite_statement& row, int first) {
  event.version = static_cast<std::uint64_t>(row.column_int64(first));
  event.position = static_cast<std::uint64_t>(row.column_int64(first + 1));
  event.type.assign(row.column_view(first + 2));
  event.payload.assign(row.column_view(first + 3));
  event.metadata.event_id.assign(row.column_view(first + 4));
  event.metadata.command_id.assign(row.column_view(first + 5));
  event.metadata.correlation_id.assign(row.column_view(first + 6));
  event.metadata.causation_id.assign(row.column_view(first + 7));
  event.metadata.recorded_at.assign(row.column_view(first + 8));
}

// Overwrites `event` with a row of read_to_rehydrate_sql (or read_page_to_rehydrate_sql), an
// event of `stream`, reusing its strings' memory; leaves the rest of its metadata as it was.
void assign_rehydration_columns(recorded_event& event, const sqlite_statement& row,
                                const std::string& stream) {
  event.stream.assign(stream);
  event.version = static_cast<std::uint64_t>(row.column_int64(0));
  event.position = static_cast<std::uint64_t>(row.column_int64(1));
  event.type.assign(row.column_view(2));
  event.payload.assign(row.column_view(3));
  event.metadata.command_id.assign(row.column_view(4));
}

// Steps `query` to its end, overwriting page's elements from the first on with `assign(event)`
// per row (appending when the page runs out), then drops the elements beyond the last row.
template <class Assign>
void fill_page(std::vector<recorded_event>& page, sqlite_statement& query, Assign assign) {
  std::size_t filled = 0;
  while (query.step()) {
    if (filled == page.size()) page.emplace_back();
    assign(page[filled++]);
  }
  page.erase(page.begin() + static_cast<std::ptrdiff_t>(filled), page.end());
}

// `value` as an rvalue to move from when `Moving`, else as a const lvalue to copy.
template <bool Moving, class T>
std::conditional_t<Moving, T&&, const T&> given(T& value) {
  if constexpr (Moving) {
    return std::move(value);
  } else {
    return value;
  }
}

// Where a stream stands inside the current write transaction.
struct stream_row {
  std::optional<std::int64_t> stream_id;  // empty for a stream without events
  std::uint64_t version = 0;
};

using append_results = std::vector<result<std::vector<recorded_event>>>;

// The results of a batch that could not commit: invalid requests keep their own error,
// every other request gets `failure`. `tried` holds the outcomes of the first requests, those
// tried before the failure: they are not checked again, since a moving append may have taken
// their strings.
append_results failed_batch(const std::vector<append_request>& requests, append_results tried,
                            const error& failure) {
  append_results results;
  results.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (i < tried.size()) {
      const bool invalid = !tried[i].ok() && tried[i].kind() == error_kind::invalid_argument;
      results.push_back(invalid ? std::move(tried[i]) : failure);
    } else {
      auto invalid = check_append_request(requests[i]);
      results.push_back(invalid ? *invalid : failure);
    }
  }
  return results;
}

// The SQLite backend. Appends go through the writer connection under its mutex; each read
// checks out a connection of the reader pool, so reads run in parallel, and WAL lets them
// proceed during a write without seeing it before it commits.
class sqlite_store final : public event_store {
 public:
  // A store that appends through `writer` (none: read-only) and reads through `readers`,
  // opened as `access` says when read-only. `keeps_snapshots`: the file has the snapshots
  // table (a read-only store of schema version 1 has none).
  sqlite_store(std::string path, std::optional<sqlite_connection> writer,
               std::unique_ptr<sqlite_reader_pool> readers, bool keeps_snapshots,
               read_only_access access = {})
      : path_(std::move(path)),
        writer_(std::move(writer)),
        keeps_snapshots_(keeps_snapshots),
        readers_(std::move(readers)),
        access_(std::move(access)) {}

  append_results append_batch(const std::vector<append_request>& requests) override {
    return append_all(requests);
  }

  // As append_batch, but each recorded event takes its request's strings (type, payload,
  // metadata; the stream name into the request's last event) instead of copies.
  append_results append_batch_moving(std::vector<append_request>&& requests) override {
    return append_all(std::move(requests));
  }

  result<std::vector<recorded_event>> read_stream(const std::string& stream,
                                                  std::uint64_t from_version,
                                                  std::size_t limit) override {
    return read<std::vector<recorded_event>>([&](sqlite_connection& reader) {
      sqlite_statement& query = reader.statement(read_stream_sql);
      statement_reset reset(query);
      query.bind_text(1, stream);
      query.bind_int64(2, as_sql_integer(from_version));
      query.bind_int64(3, as_sql_integer(limit));
      std::vector<recorded_event> events;
      while (query.step()) events.push_back(read_stream_event(query, stream));
      return events;
    });
  }

  result<std::vector<recorded_event>> read_all(std::uint64_t from_position,
                                               std::size_t limit) override {
    return read<std::vector<recorded_event>>([&](sqlite_connection& reader) {
      sqlite_statement& query = reader.statement(read_all_sql);
      statement_reset reset(query);
      query.bind_int64(1, as_sql_integer(from_position));
      query.bind_int64(2, as_sql_integer(limit));
      std::vector<recorded_event> events;
      while (query.step()) events.push_back(read_event(query));
      return events;
    });
  }

  // Reads the five columns rehydration needs (read_to_rehydrate_sql), not the other four of
  // the metadata: fewer strings to copy and allocate per event.
  result<std::vector<recorded_event>> read_stream_to_rehydrate(
      const std::string& stream, std::uint64_t from_version) override {
    return read<std::vector<recorded_event>>([&](sqlite_connection& reader) {
      std::vector<recorded_event> events;
      events.reserve(expected_events(reader, stream, from_version));
      sqlite_statement& query = reader.statement(read_to_rehydrate_sql);
      statement_reset reset(query);
      query.bind_text(1, stream);
      query.bind_int64(2, as_sql_integer(from_version));
      while (query.step()) assign_rehydration_columns(events.emplace_back(), query, stream);
      return events;
    });
  }

  status read_stream_into(std::vector<recorded_event>& page, const std::string& stream,
                          std::uint64_t from_version, std::size_t limit) override {
    return read<void>([&](sqlite_connection& reader) {
      sqlite_statement& query = reader.statement(read_stream_sql);
      statement_reset reset(query);
      query.bind_text(1, stream);
      query.bind_int64(2, as_sql_integer(from_version));
      query.bind_int64(3, as_sql_integer(limit));
      fill_page(page, query, [&](recorded_event& event) {
        event.stream.assign(stream);
        assign_event_columns(event, query, 0);
      });
      return status{};
    });
  }

  // The five columns of read_stream_to_rehydrate, into the caller's page.
  status read_stream_to_rehydrate_into(std::vector<recorded_event>& page, const std::string& stream,
                                       std::uint64_t from_version, std::size_t limit) override {
    return read<void>([&](sqlite_connection& reader) {
      sqlite_statement& query = reader.statement(read_page_to_rehydrate_sql);
      statement_reset reset(query);
      query.bind_text(1, stream);
      query.bind_int64(2, as_sql_integer(from_version));
      query.bind_int64(3, as_sql_integer(limit));
      fill_page(page, query,
                [&](recorded_event& event) { assign_rehydration_columns(event, query, stream); });
      return status{};
    });
  }

  status read_all_into(std::vector<recorded_event>& page, std::uint64_t from_position,
                       std::size_t limit) override {
    return read<void>([&](sqlite_connection& reader) {
      sqlite_statement& query = reader.statement(read_all_sql);
      statement_reset reset(query);
      query.bind_int64(1, as_sql_integer(from_position));
      query.bind_int64(2, as_sql_integer(limit));
      fill_page(page, query, [&](recorded_event& event) {
        event.stream.assign(query.column_view(0));
        assign_event_columns(event, query, 1);
      });
      return status{};
    });
  }

  result<std::uint64_t> stream_version(const std::string& stream) override {
    return read<std::uint64_t>([&](sqlite_connection& reader) {
      sqlite_statement& query = reader.statement(stream_version_sql);
      statement_reset reset(query);
      query.bind_text(1, stream);
      return query.step() ? static_cast<std::uint64_t>(query.column_int64(0)) : 0;
    });
  }

  result<std::uint64_t> last_position() override {
    return read<std::uint64_t>([](sqlite_connection& reader) {
      return static_cast<std::uint64_t>(reader.query_int64(last_position_sql));
    });
  }

  result<std::vector<stream_info>> list_streams(const std::string& from_name,
                                                std::size_t limit) override {
    return read<std::vector<stream_info>>([&](sqlite_connection& reader) {
      sqlite_statement& query = reader.statement(list_streams_sql);
      statement_reset reset(query);
      query.bind_text(1, from_name);
      query.bind_int64(2, as_sql_integer(limit));
      std::vector<stream_info> streams;
      while (query.step()) {
        streams.push_back({query.column_text(0), static_cast<std::uint64_t>(query.column_int64(1)),
                           static_cast<std::uint64_t>(query.column_int64(2))});
      }
      return streams;
    });
  }

  // One autocommit statement on the writer connection: it takes the write lock like an
  // append, so it waits for (and delays) at most one group commit.
  status write_snapshot(const snapshot& taken) override {
    if (auto invalid = check_snapshot(taken)) return *invalid;
    if (!writer_ || !keeps_snapshots_) {
      return error{error_kind::store_unavailable,
                   "cannot write a snapshot to store '" + path_ + "': opened read-only"};
    }
    std::lock_guard lock(writer_mutex_);
    try {
      sqlite_statement& insert = writer_->statement(write_snapshot_sql);
      statement_reset reset(insert);
      insert.bind_text(1, taken.stream);
      insert.bind_int64(2, as_sql_integer(taken.version));
      insert.bind_int64(3, taken.schema_version);
      insert.bind_text(4, taken.state);
      insert.bind_text(5, taken.taken_at);
      insert.step();
      return {};
    } catch (const sqlite_failure& failure) {
      return unavailable("write a snapshot to", failure);
    }
  }

  result<std::optional<snapshot>> read_snapshot(const std::string& stream) override {
    if (!keeps_snapshots_) return std::optional<snapshot>{};
    return read<std::optional<snapshot>>([&](sqlite_connection& reader) -> std::optional<snapshot> {
      sqlite_statement& query = reader.statement(read_snapshot_sql);
      statement_reset reset(query);
      query.bind_text(1, stream);
      if (!query.step()) return std::nullopt;
      return snapshot{stream, static_cast<std::uint64_t>(query.column_int64(0)),
                      static_cast<int>(query.column_int64(1)), query.column_text(2),
                      query.column_text(3)};
    });
  }

  // Checkpoints go through the writer connection (sqlite_checkpoints.hpp): saving one is a
  // durable autocommit like an append; reading one is rare (a projection's start).
  status save_checkpoint(const std::string& projection, std::uint64_t position) override {
    if (projection.empty())
      return error{error_kind::invalid_argument, "a checkpoint needs a projection name"};
    return with_writer("save a checkpoint to", [&] {
      write_checkpoint_row(*writer_, projection, position);
      return status{};
    });
  }

  // The same row, committed with synchronous=NORMAL: in WAL mode the commit reaches the
  // operating system but is not synced, so a process crash keeps it and a machine crash may
  // not; the next FULL commit on the file (an append) syncs the WAL with it.
  status save_checkpoint_unsynced(const std::string& projection, std::uint64_t position) override {
    if (projection.empty())
      return error{error_kind::invalid_argument, "a checkpoint needs a projection name"};
    return with_writer("save a checkpoint to", [&] {
      without_sync unsynced(*writer_);
      write_checkpoint_row(*writer_, projection, position);
      return status{};
    });
  }

  // On the writer; a store opened read-only reads it on a reader connection (a projection of a
  // read-only runtime, e.g. an app's `state` command, resumes from it like any other).
  result<std::uint64_t> read_checkpoint(const std::string& projection) override {
    if (!writer_)
      return read<std::uint64_t>([&](sqlite_connection& reader) {
        return result<std::uint64_t>(read_checkpoint_row_if_kept(reader, projection));
      });
    return with_writer("read a checkpoint from", [&] {
      return result<std::uint64_t>(read_checkpoint_row(*writer_, projection));
    });
  }

 private:
  // Runs `query` on a reader connection of its own (waiting for one when all are in use);
  // SQLite failures become store_unavailable, and so does an immutable read that a writer may
  // have overlapped.
  template <class T, class Query>
  result<T> read(Query&& query) {
    try {
      sqlite_reader_pool::lease reader = readers_->check_out();
      result<T> found = query(reader.connection());
      if (auto overlapped = writer_appeared(path_, access_)) return *overlapped;
      return found;
    } catch (const sqlite_failure& failure) {
      return unavailable("read", failure);
    }
  }

  // How many events of `stream` from from_version on there were a moment ago: a size to
  // reserve, so the read does not move its events as the vector grows (a hint, not a promise:
  // an append may land before the read). Throws sqlite_failure.
  static std::size_t expected_events(sqlite_connection& reader, const std::string& stream,
                                     std::uint64_t from_version) {
    sqlite_statement& query = reader.statement(stream_version_sql);
    statement_reset reset(query);
    query.bind_text(1, stream);
    const auto version = query.step() ? static_cast<std::uint64_t>(query.column_int64(0)) : 0;
    return version >= from_version ? static_cast<std::size_t>(version - from_version + 1) : 0;
  }

  error unavailable(const std::string& action, const sqlite_failure& failure) const {
    return {error_kind::store_unavailable,
            "cannot " + action + " store '" + path_ + "': " + failure.what()};
  }

  // A batch that failed before COMMIT: SQLite rolled it back, nothing of it is in the file.
  error not_written(const sqlite_failure& failure) const {
    error failed = unavailable("append to", failure);
    failed.message += "; nothing was written";
    return failed;
  }

  // The results of a batch whose COMMIT failed. A failed COMMIT (fsync's I/O error, a full
  // disk while the log is written) may still have put the whole batch in the write-ahead log,
  // where the next open finds it: whether the events are stored is unknown. Requests that had
  // failed on their own (conflict, invalid) wrote nothing and keep their error.
  append_results with_unknown_outcome(append_results results, const sqlite_failure& failure) {
    const error unknown{error_kind::store_unavailable,
                        "cannot confirm the append to store '" + path_ + "': COMMIT failed (" +
                            failure.what() +
                            "); the outcome is unknown: the events may be stored, now or after "
                            "a restart; re-read the stream before retrying"};
    for (auto& outcome : results)
      if (outcome.ok()) outcome = unknown;
    return results;
  }

  // Commits; returns the failure instead of throwing it, so append_batch can tell a failed
  // COMMIT from a failure before it.
  static std::optional<sqlite_failure> try_commit(sqlite_transaction& transaction) {
    try {
      transaction.commit();
      return std::nullopt;
    } catch (const sqlite_failure& failure) {
      return failure;
    }
  }

  // Runs `call` under the writer mutex; a read-only store or a SQLite failure is
  // store_unavailable, naming `what` it could not do.
  template <class Call>
  auto with_writer(const char* what, Call call) -> decltype(call()) {
    if (!writer_)
      return error{error_kind::store_unavailable,
                   std::string("cannot ") + what + " store '" + path_ + "': opened read-only"};
    std::lock_guard lock(writer_mutex_);
    try {
      return call();
    } catch (const sqlite_failure& failure) {
      return unavailable(what, failure);
    }
  }

  // append_batch's work; `Requests` is `const std::vector<append_request>&` (the events' strings
  // copied) or `std::vector<append_request>&&` (moved into the recorded events).
  template <class Requests>
  append_results append_all(Requests&& requests) {
    if (!writer_) {
      return failed_batch(requests, {},
                          {error_kind::store_unavailable,
                           "cannot append to store '" + path_ + "': opened read-only"});
    }
    std::lock_guard lock(writer_mutex_);
    append_results results;
    results.reserve(requests.size());
    try {
      // BEGIN IMMEDIATE takes the file's write lock first, so the versions read below cannot
      // go stale before COMMIT, even when other processes share the file.
      sqlite_transaction transaction(*writer_);
      known_streams_.forget_unless_unchanged(writer_->data_version());
      for (auto& request : requests) results.push_back(append_one<moving<Requests>>(request));
      if (auto failure = try_commit(transaction)) {
        known_streams_.forget_all();
        return with_unknown_outcome(std::move(results), *failure);
      }
      return results;
    } catch (const sqlite_failure& failure) {
      known_streams_.forget_all();
      return failed_batch(requests, std::move(results), not_written(failure));
    }
  }

  // Whether append_all was given requests it may move from.
  template <class Requests>
  static constexpr bool moving = std::is_rvalue_reference_v<Requests&&>;

  // REQUIRES: writer_mutex_ held and a write transaction open. A conflict or invalid request
  // returns its error having written nothing; a SQLite failure throws (the batch rolls back).
  // With `Moving`, the recorded events take the request's strings, each after its row is
  // inserted (the insert binds them without a copy until its statement is reset).
  template <bool Moving, class Request>
  result<std::vector<recorded_event>> append_one(Request& request) {
    if (auto invalid = check_append_request(request)) return *invalid;
    known_stream* known = known_streams_.find(request.stream);
    const stream_row stream =
        known ? stream_row{known->stream_id, known->version} : find_stream_in_table(request.stream);
    if (stream.version != request.expected_version) {
      return version_conflict(request.stream, request.expected_version, stream.version);
    }
    const std::uint64_t new_version = stream.version + request.events.size();
    std::int64_t stream_id = save_stream_version(request.stream, stream, new_version);
    if (known) {
      known->version = new_version;
    } else {
      known_streams_.remember(request.stream, {stream_id, new_version});
    }
    std::vector<recorded_event> recorded;
    recorded.reserve(request.events.size());
    std::uint64_t version = stream.version;
    for (auto& event : request.events) {
      ++version;
      const std::uint64_t position = insert_event(stream_id, version, event);
      const bool last = version == new_version;
      recorded.push_back({last ? given<Moving>(request.stream) : request.stream, version, position,
                          given<Moving>(event.type), given<Moving>(event.payload),
                          given<Moving>(event.metadata)});
    }
    return recorded;
  }

  // Where the stream stands, read from the table (remembered in known_streams_, which
  // append_batch has checked against other writers inside this transaction).
  stream_row find_stream_in_table(const std::string& name) {
    sqlite_statement& query = writer_->statement(find_stream_sql);
    statement_reset reset(query);
    query.bind_text(1, name);
    if (!query.step()) return {};
    known_stream found{query.column_int64(0), static_cast<std::uint64_t>(query.column_int64(1))};
    known_streams_.remember(name, found);
    return {found.stream_id, found.version};
  }

  // Records `new_version` for the stream, creating its row if needed; returns its stream_id.
  std::int64_t save_stream_version(const std::string& name, const stream_row& stream,
                                   std::uint64_t new_version) {
    if (stream.stream_id) {
      sqlite_statement& update = writer_->statement(update_stream_sql);
      statement_reset reset(update);
      update.bind_int64(1, *stream.stream_id);
      update.bind_int64(2, as_sql_integer(new_version));
      update.step();
      return *stream.stream_id;
    }
    sqlite_statement& insert = writer_->statement(insert_stream_sql);
    statement_reset reset(insert);
    insert.bind_text(1, name);
    insert.bind_int64(2, as_sql_integer(new_version));
    insert.step();
    return writer_->last_insert_rowid();
  }

  // Inserts one event and returns its position (the rowid: max + 1, gap-free since events
  // are never deleted and a rolled-back insert frees its rowid again).
  std::uint64_t insert_event(std::int64_t stream_id, std::uint64_t version,
                             const new_event& event) {
    sqlite_statement& insert = writer_->statement(insert_event_sql);
    statement_reset reset(insert);
    insert.bind_int64(1, stream_id);
    insert.bind_int64(2, as_sql_integer(version));
    insert.bind_text(3, event.type);
    insert.bind_text(4, event.payload);
    insert.bind_text(5, event.metadata.event_id);
    insert.bind_optional_text(6, event.metadata.command_id);
    insert.bind_optional_text(7, event.metadata.correlation_id);
    insert.bind_optional_text(8, event.metadata.causation_id);
    insert.bind_text(9, event.metadata.recorded_at);
    insert.step();
    return static_cast<std::uint64_t>(writer_->last_insert_rowid());
  }

  const std::string path_;
  std::mutex writer_mutex_;
  std::optional<sqlite_connection> writer_;  // empty when opened read-only
  const bool keeps_snapshots_;               // the file has the snapshots table
  known_streams known_streams_;              // guarded by writer_mutex_
  const std::unique_ptr<sqlite_reader_pool> readers_;
  const read_only_access access_;  // how a read-only store opened readers_
};

// Each connection is used by one thread at a time (the writer under its mutex, a reader while
// checked out of the pool), so SQLite's per-connection mutex is not needed.
constexpr int read_write_flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
constexpr int read_only_flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;

// Opens the file read-only without creating anything beside it (read_only_access.hpp).
result<std::shared_ptr<event_store>> open_read_only(const std::string& path,
                                                    const sqlite_options& options) {
  read_only_access access = choose_read_only_access(path);
  try {
    auto readers = std::make_unique<sqlite_reader_pool>(
        sqlite_reader_pool::connection_settings{access.uri, read_only_flags | SQLITE_OPEN_URI,
                                                options.busy_timeout_ms},
        options.read_connections);
    result<int> schema = check_store_schema(readers->check_out().connection(), path);
    if (!schema) return schema.error_value();
    const bool keeps_snapshots = *schema >= first_schema_version_with_snapshots;
    return std::shared_ptr<event_store>(std::make_shared<sqlite_store>(
        path, std::nullopt, std::move(readers), keeps_snapshots, std::move(access)));
  } catch (const sqlite_failure& failure) {
    return read_only_open_failure(path, access, failure);
  }
}

result<std::shared_ptr<event_store>> open_writable(const std::string& path,
                                                   const sqlite_options& options) {
  int writer_flags = read_write_flags | (options.create_if_missing ? SQLITE_OPEN_CREATE : 0);
  sqlite_connection writer(path, writer_flags, options.busy_timeout_ms);
  if (status schema = prepare_store_schema(writer, path, options.busy_timeout_ms); !schema) {
    return schema.error_value();
  }
  configure_writer(writer);
  auto readers = std::make_unique<sqlite_reader_pool>(
      sqlite_reader_pool::connection_settings{path, read_only_flags, options.busy_timeout_ms},
      options.read_connections);
  return std::shared_ptr<event_store>(
      std::make_shared<sqlite_store>(path, std::move(writer), std::move(readers), true));
}

}  // namespace

result<std::shared_ptr<event_store>> open_sqlite_store(const std::string& path,
                                                       const sqlite_options& options) {
  std::error_code ignored;
  // SQLite's own words for a directory ("disk I/O error", "unable to open database file")
  // do not say what is wrong.
  if (std::filesystem::is_directory(path, ignored)) {
    return error{error_kind::store_unavailable, "cannot open store '" + path + "': is a directory"};
  }
  if (options.read_connections < 1) {
    return error{error_kind::invalid_argument, "cannot open store '" + path +
                                                   "': read_connections must be at least 1, not " +
                                                   std::to_string(options.read_connections)};
  }
  if ((options.read_only || !options.create_if_missing) &&
      !std::filesystem::exists(path, ignored)) {
    return error{error_kind::store_unavailable, "cannot open store '" + path + "': no such file"};
  }
  try {
    return options.read_only ? open_read_only(path, options) : open_writable(path, options);
  } catch (const sqlite_failure& failure) {
    return error{error_kind::store_unavailable,
                 "cannot open store '" + path + "': " + failure.what()};
  }
}

}  // namespace esk
