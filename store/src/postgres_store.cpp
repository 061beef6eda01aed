// The PostgreSQL event store: reads are plain queries on pooled connections; a batch of
// appends is one call of esk_append_events_summarized (postgres_append_batch.cpp) in one
// transaction, a lone one-event append one call of esk_append_one_event (postgres_append_one.cpp).
#include "esk/store/postgres_store.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>

#include "append_checks.hpp"
#include "esk/store/postgres_commit_listener.hpp"
#include "postgres_append_batch.hpp"
#include "postgres_append_one.hpp"
#include "postgres_event_rows.hpp"
#include "postgres_pool.hpp"
#include "postgres_schema.hpp"
#include "postgres_store_hooks.hpp"
#include "postgres_text_checks.hpp"

namespace esk {
namespace {

using append_results = std::vector<result<std::vector<recorded_event>>>;

class postgres_store final : public event_store {
 public:
  postgres_store(std::string conninfo, std::string described_as, const postgres_options& options,
                 postgres_store_hooks hooks)
      : pool_(std::move(conninfo), std::move(described_as), options.connections),
        read_only_(options.read_only),
        hooks_(std::move(hooks)) {}

  postgres_pool& pool() { return pool_; }

  append_results append_batch(const std::vector<append_request>& requests) override {
    return append_all(requests, nullptr);
  }

  append_results append_batch_moving(std::vector<append_request>&& requests) override {
    return append_all(requests, &requests);
  }

  result<std::vector<recorded_event>> read_stream(const std::string& stream,
                                                  std::uint64_t from_version,
                                                  std::size_t limit) override {
    if (unstorable_name(stream)) return std::vector<recorded_event>{};
    auto rows = query("read stream '" + stream + "'",
                      std::string("SELECT ") + postgres_event_columns +
                          " FROM esk_events WHERE stream = $1 AND version >= $2"
                          " ORDER BY version LIMIT $3",
                      {stream, std::to_string(from_version), postgres_limit(limit)});
    if (!rows) return rows.error_value();
    return events_from_rows(*rows);
  }

  result<std::vector<recorded_event>> read_all(std::uint64_t from_position,
                                               std::size_t limit) override {
    auto rows = query("read the log",
                      std::string("SELECT ") + postgres_event_columns +
                          " FROM esk_events WHERE position >= $1 ORDER BY position LIMIT $2",
                      {std::to_string(from_position), postgres_limit(limit)});
    if (!rows) return rows.error_value();
    return events_from_rows(*rows);
  }

  result<std::uint64_t> stream_version(const std::string& stream) override {
    if (unstorable_name(stream)) return std::uint64_t{0};
    auto rows = query("read the version of stream '" + stream + "'",
                      "SELECT version FROM esk_streams WHERE stream = $1", {stream});
    if (!rows) return rows.error_value();
    return rows->count() == 0 ? std::uint64_t{0} : rows->unsigned_number(0, 0);
  }

  result<std::uint64_t> last_position() override {
    // The counter, not max(position): it moves only with a commit, under the append lock.
    auto rows = query("read the last position", "SELECT position FROM esk_log_head", {});
    if (!rows) return rows.error_value();
    return rows->count() == 0 ? std::uint64_t{0} : rows->unsigned_number(0, 0);
  }

  result<std::vector<stream_info>> list_streams(const std::string& from_name,
                                                std::size_t limit) override {
    auto rows = query("list the streams",
                      "SELECT stream, version, last_position FROM esk_streams"
                      " WHERE stream COLLATE \"C\" >= $1"
                      " ORDER BY stream COLLATE \"C\" LIMIT $2",
                      {first_name_from(from_name), postgres_limit(limit)});
    if (!rows) return rows.error_value();
    std::vector<stream_info> streams;
    for (int row = 0; row < rows->count(); ++row) {
      streams.push_back(stream_info{rows->text(row, 0), rows->unsigned_number(row, 1),
                                    rows->unsigned_number(row, 2)});
    }
    return streams;
  }

  status write_snapshot(const snapshot& taken) override {
    if (auto invalid = check_snapshot(taken)) return *invalid;
    const std::string what = "write the snapshot of '" + taken.stream + "'";
    if (read_only_) return read_only_refusal(what);
    const auto described = [&what] { return what; };
    auto unstorable = check_storable_field(stored_as::name, "stream name", taken.stream, described);
    if (!unstorable)
      unstorable = check_storable_field(stored_as::text, "state", taken.state, described);
    if (!unstorable)
      unstorable = check_storable_field(stored_as::text, "taken_at", taken.taken_at, described);
    if (unstorable) return *unstorable;
    auto done = query(what,
                      "INSERT INTO esk_snapshots (stream, version, schema_version, state, taken_at)"
                      " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (stream) DO UPDATE SET"
                      " version = excluded.version, schema_version = excluded.schema_version,"
                      " state = excluded.state, taken_at = excluded.taken_at",
                      {taken.stream, std::to_string(taken.version),
                       std::to_string(taken.schema_version), taken.state, taken.taken_at});
    if (!done) return done.error_value();
    return {};
  }

  result<std::optional<snapshot>> read_snapshot(const std::string& stream) override {
    if (unstorable_name(stream)) return std::optional<snapshot>{};
    auto rows = query("read the snapshot of '" + stream + "'",
                      "SELECT version, schema_version, state, taken_at FROM esk_snapshots"
                      " WHERE stream = $1",
                      {stream});
    if (!rows) return rows.error_value();
    if (rows->count() == 0) return std::optional<snapshot>{};
    return std::optional<snapshot>{snapshot{stream, rows->unsigned_number(0, 0),
                                            static_cast<int>(rows->number(0, 1)), rows->text(0, 2),
                                            rows->text(0, 3)}};
  }

  status save_checkpoint(const std::string& projection, std::uint64_t position) override {
    if (projection.empty())
      return error{error_kind::invalid_argument, "a checkpoint needs a projection name"};
    const std::string what = "save the checkpoint of projection '" + projection + "'";
    if (read_only_) return read_only_refusal(what);
    if (auto unstorable =
            check_storable_field(stored_as::name, "name", projection, [&what] { return what; }))
      return *unstorable;
    auto done = query(what,
                      "INSERT INTO esk_checkpoints (projection, position) VALUES ($1, $2)"
                      " ON CONFLICT (projection) DO UPDATE SET position = excluded.position",
                      {projection, std::to_string(position)});
    if (!done) return done.error_value();
    return {};
  }

  result<std::uint64_t> read_checkpoint(const std::string& projection) override {
    if (unstorable_name(projection)) return std::uint64_t{0};
    auto rows = query("read the checkpoint of projection '" + projection + "'",
                      "SELECT position FROM esk_checkpoints WHERE projection = $1", {projection});
    if (!rows) return rows.error_value();
    return rows->count() == 0 ? std::uint64_t{0} : rows->unsigned_number(0, 0);
  }

  result<std::unique_ptr<commit_listener>> listen_for_commits() override {
    return listen_for_postgres_commits(pool_.conninfo());
  }

  gap_wait_statistics gap_waits() const override {
    return {gap_waits_.load(), std::chrono::microseconds{gap_wait_us_.load()}};
  }

 private:
  // One call of esk_append_events_summarized for every valid request of `requests`, or of
  // esk_append_one_event when that is one request of one event; with `taken` (= &requests, given
  // up by the caller), an accepted request's strings move into the recorded events it returns
  // instead of being copied.
  append_results append_all(const std::vector<append_request>& requests,
                            std::vector<append_request>* taken) {
    append_results results;
    std::vector<bool> send(requests.size(), false);
    std::size_t sent = 0;
    std::size_t last_sent = 0;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      auto invalid = check_append_request(requests[i]);
      // Checked here, not left to the server: it would refuse the whole batch.
      if (!invalid) invalid = check_storable(requests[i]);
      if (invalid) {
        results.emplace_back(*invalid);
      } else if (read_only_) {
        results.emplace_back(read_only_refusal("append to stream '" + requests[i].stream + "'"));
      } else {
        results.emplace_back(std::vector<recorded_event>{});
        send[i] = true;
        ++sent;
        last_sent = i;
      }
    }
    if (sent == 0) return results;
    if (sent == 1 && requests[last_sent].events.size() == 1) {
      results[last_sent] = append_one_event(requests, last_sent, taken);
      return results;
    }
    // Per thread (a store actor's writer keeps one): its buffer grows to the largest batch once
    // instead of a dozen large allocations per batch; a buffer above kept_buffer_bytes (a batch
    // of large payloads) is freed after its call rather than held for the thread's life.
    constexpr std::size_t kept_buffer_bytes = 4 << 20;
    thread_local postgres_append_call call;
    append_call(requests, send, call);
    auto outcomes = run_append([](postgres_connection& connection, postgres_error* details) {
      return connection.run_prepared_binary(call.sql, call.parameters, details);
    });
    if (call.buffer.capacity() > kept_buffer_bytes) {
      call.parameters.clear();
      std::string{}.swap(call.buffer);
    }
    if (!outcomes) return std::move(fail_sent(results, send, outcomes.error_value()));
    if (outcomes->count() < 1) {
      return std::move(fail_sent(results, send,
                                 outcome_unknown({error_kind::store_unavailable,
                                                  "the append function answered no rows"})));
    }
    if (!outcomes->is_null(0, 3)) count_gap_wait(outcomes->number(0, 3));
    std::uint64_t next_position = outcomes->unsigned_number(0, 2) + 1;
    int conflict_row = 1;
    std::int64_t request_number = 0;
    for (std::size_t i = 0; i < requests.size(); ++i) {
      if (!send[i]) continue;
      const auto& request = requests[i];
      ++request_number;
      if (conflict_row < outcomes->count() && outcomes->number(conflict_row, 0) == request_number) {
        results[i] = version_conflict(request.stream, request.expected_version,
                                      outcomes->unsigned_number(conflict_row, 1));
        ++conflict_row;
      } else {
        results[i] = taken != nullptr ? recorded_events(std::move((*taken)[i]), next_position)
                                      : recorded_events(request, next_position);
        next_position += request.events.size();
      }
    }
    return results;
  }

  // The one request requests[index], of one event, appended by esk_append_one_event (prepared
  // on the connection): its scalar arguments cost the server less than thirteen one-element
  // arrays (docs/ARCHITECTURE.md, PostgreSQL). Answers as append_all does for it.
  result<std::vector<recorded_event>> append_one_event(const std::vector<append_request>& requests,
                                                       std::size_t index,
                                                       std::vector<append_request>* taken) {
    const append_request& request = requests[index];
    // Per thread, as the batch's call: refilled in place, no allocation per append.
    thread_local postgres_append_one_call call;
    append_one_call(request, call);
    auto answer = run_append([](postgres_connection& connection, postgres_error* details) {
      return connection.run_prepared_binary(call.sql, call.parameters, details);
    });
    if (!answer) return answer.error_value();
    if (answer->count() != 1) {
      return outcome_unknown(
          {error_kind::store_unavailable, "the append function answered no row or several"});
    }
    if (!answer->is_null(0, 2)) count_gap_wait(answer->number(0, 2));
    if (!answer->is_null(0, 0)) {
      return version_conflict(request.stream, request.expected_version,
                              answer->unsigned_number(0, 0));
    }
    const std::uint64_t position = answer->unsigned_number(0, 1) + 1;
    return taken != nullptr ? recorded_events(std::move((*taken)[index]), position)
                            : recorded_events(request, position);
  }

  append_results& fail_sent(append_results& results, const std::vector<bool>& send,
                            const error& failure) {
    for (std::size_t i = 0; i < results.size(); ++i)
      if (send[i]) results[i] = failure;
    return results;
  }

  void count_gap_wait(std::int64_t microseconds) {
    gap_waits_ += 1;
    gap_wait_us_ += microseconds > 0 ? microseconds : 0;
  }

  error read_only_refusal(const std::string& what) const {
    return {error_kind::store_unavailable,
            "cannot " + what + ": the store '" + pool_.described_as() + "' is open read-only"};
  }

  // Whether no stream, snapshot or checkpoint can be named `name`: PostgreSQL text cannot hold
  // a NUL byte (and libpq would cut the name there, answering for another name).
  static bool unstorable_name(const std::string& name) { return holds_nul(name); }

  // The first stream name, in byte order, that is not before `from_name` and that the store
  // can hold: `from_name` up to a NUL byte, then \x01 (every name after "a\0..." is after
  // "a\x01", the first one without a NUL there).
  static std::string first_name_from(const std::string& from_name) {
    const std::size_t nul = from_name.find('\0');
    if (nul == std::string::npos) return from_name;
    return from_name.substr(0, nul) + '\x01';
  }

  // Runs one statement, prepared, on a pooled connection; a failure names `what` could not be
  // done.
  result<postgres_rows> query(const std::string& what, const std::string& sql,
                              const std::vector<std::string>& parameters) {
    auto connection = pool_.borrow();
    if (!connection) return failed(what, connection.error_value());
    auto rows = (*connection)->run_prepared(sql, parameters);
    if (!rows) return failed(what, rows.error_value());
    return rows;
  }

  error failed(const std::string& what, const error& cause) const {
    return {cause.kind, "cannot " + what + " in '" + pool_.described_as() + "': " + cause.message};
  }

  // Runs `call` (an append function's call: call(connection, details) -> its rows) on a pooled
  // connection in one transaction; its rows, or store_unavailable saying whether anything may
  // have been written.
  template <class Call>
  result<postgres_rows> run_append(Call&& call) {
    auto connection = pool_.borrow();
    if (!connection) return nothing_written(connection.error_value());
    postgres_error details;
    if (!hooks_.before_commit) {
      // Autocommit: the call and its commit are one round trip.
      auto rows = call(**connection, &details);
      if (rows) return rows;
      return details.how == postgres_failure::refused ? nothing_written(details.failure)
                                                      : outcome_unknown(details.failure);
    }
    auto begun = (*connection)->run("BEGIN", {}, &details);
    if (!begun) return nothing_written(details.failure);
    auto rows = call(**connection, &details);
    if (!rows) {
      // Nothing is written either way; the rollback only makes the connection usable again.
      (void)(*connection)->run("ROLLBACK");
      return nothing_written(details.failure);
    }
    hooks_.before_commit();
    auto committed = (*connection)->run("COMMIT", {}, &details);
    if (committed) return rows;
    return details.how == postgres_failure::refused ? nothing_written(details.failure)
                                                    : outcome_unknown(details.failure);
  }

  error nothing_written(const error& cause) const {
    return {error_kind::store_unavailable, "cannot append to '" + pool_.described_as() +
                                               "': " + cause.message + "; nothing was written"};
  }

  error outcome_unknown(const error& cause) const {
    return {error_kind::store_unavailable,
            "cannot append to '" + pool_.described_as() + "': " + cause.message +
                "; outcome unknown: the events may or may not be in the log"};
  }

  postgres_pool pool_;
  const bool read_only_;
  const postgres_store_hooks hooks_;
  std::atomic<std::uint64_t> gap_waits_{0};
  std::atomic<std::int64_t> gap_wait_us_{0};
};

}  // namespace

bool is_postgres_location(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

result<std::shared_ptr<event_store>> open_postgres_store_with_hooks(
    const std::string& connection_string, const postgres_options& options,
    postgres_store_hooks hooks) {
  const std::string described_as = redact_password(connection_string);
  if (options.connections < 1) {
    return error{error_kind::invalid_argument,
                 "cannot open store '" + described_as + "': connections must be at least 1"};
  }
  auto store =
      std::make_shared<postgres_store>(connection_string, described_as, options, std::move(hooks));
  auto connection = store->pool().borrow();
  if (!connection) return connection.error_value();
  auto prepared =
      prepare_postgres_schema(**connection, described_as,
                              options.create_if_missing && !options.read_only, !options.read_only);
  if (!prepared) return prepared.error_value();
  return std::shared_ptr<event_store>{std::move(store)};
}

result<std::shared_ptr<event_store>> open_postgres_store(const std::string& connection_string,
                                                         const postgres_options& options) {
  return open_postgres_store_with_hooks(connection_string, options, {});
}

}  // namespace esk
