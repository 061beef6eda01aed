// The catch-up workload: projections catching up on a long log, beside the store's own paged
// read of it. Its rows are also part of the replay workload.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <esk/esk.hpp>
#include <memory>
#include <string>
#include <unordered_map>

#include "aggregates/user.hpp"
#include "catch_up.hpp"
#include "process_memory.hpp"
#include "scratch_store.hpp"
#include "user_commands.hpp"
#include "workloads.hpp"

namespace esk::bench {
namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

// A projection that only counts, so the figure is the runtime's cost, not the read model's.
class counting_projection : public projection {
 public:
  std::string name() const override { return "bench_counter"; }
  void apply(const recorded_event&) override { count_.fetch_add(1, std::memory_order_relaxed); }
  std::uint64_t count() const { return count_.load(); }

 private:
  std::atomic<std::uint64_t> count_{0};
};

figure log_row(const std::string& name, const std::string& store, const std::string& params) {
  figure row;
  row.name = name;
  row.store = store;
  row.parameters = params;
  row.events_rate_is_figure = true;
  if (name != "baseline/read-all") row.limit_keys = {"baseline/read-all@" + store};
  return row;
}

// The typed projection's handlers: an in-memory update per event (`read_model_path` empty) or
// one upsert per event into the SQLite read model. Each counts what it applied in `applied`.
typed_projection email_index(const std::string& read_model_path,
                             const std::shared_ptr<std::atomic<std::uint64_t>>& applied) {
  typed_projection by_email(read_model_path.empty() ? "bench_typed" : "bench_sqlite");
  if (read_model_path.empty()) {
    auto emails = std::make_shared<std::unordered_map<std::string, std::string>>();
    by_email.on<users::UserCreated>([=](const users::UserCreated& e, const event_context&) {
      (*emails)[e.user_id] = e.email;
      applied->fetch_add(1, std::memory_order_relaxed);
    });
    by_email.on<users::UserEmailChanged>(
        [=](const users::UserEmailChanged& e, const event_context&) {
          (*emails)[e.user_id] = e.email;
          applied->fetch_add(1, std::memory_order_relaxed);
        });
    return by_email;
  }
  auto upsert = [=](const std::string& user_id, const std::string& email, const event_context& at) {
    at.sql().execute(
        "INSERT INTO emails(user_id, email) VALUES(?1, ?2)"
        " ON CONFLICT(user_id) DO UPDATE SET email = excluded.email",
        {user_id, email});
    applied->fetch_add(1, std::memory_order_relaxed);
  };
  by_email.on<users::UserCreated>([=](const users::UserCreated& e, const event_context& at) {
    upsert(e.user_id, e.email, at);
  });
  by_email.on<users::UserEmailChanged>(
      [=](const users::UserEmailChanged& e, const event_context& at) {
        upsert(e.user_id, e.email, at);
      });
  return by_email;
}

// Adds a typed projection with a checkpoint every 1,000 events (in the event store when
// `read_model_path` is empty, else in the SQLite read model there) and times its catch-up.
figure project_typed(runtime& rt, figure row, const std::string& read_model_path) {
  auto applied = std::make_shared<std::atomic<std::uint64_t>>(0);
  projection_options options;
  options.checkpoint_every = 1000;
  options.checkpoints =
      read_model_path.empty()
          ? checkpoint_location::in_event_store()
          : checkpoint_location::in_sqlite(
                read_model_path,
                "CREATE TABLE IF NOT EXISTS emails(user_id TEXT PRIMARY KEY, email TEXT)");
  typed_projection by_email = email_index(read_model_path, applied);
  reset_peak_resident_bytes();
  const auto started = clock_type::now();
  rt.add_projection(by_email, options);
  auto synced = rt.sync_projections();
  row.seconds = seconds_since(started);
  row.peak_rss_bytes = peak_resident_bytes();
  row.operations = 1;
  row.events = applied->load();
  if (!synced) {
    row.failed = 1;
    row.first_failure = synced.error_value().message;
  }
  return row;
}

}  // namespace

bool write_replay_log(event_store& store, std::size_t stream_events, std::size_t log_events) {
  if (!write_user_stream(store, "replay", stream_events)) return false;
  for (std::size_t written = stream_events, filler = 0; written < log_events; ++filler) {
    std::vector<append_request> batch;  // 4 streams x 64 events: 256 events per transaction
    for (int i = 0; i < 4 && written < log_events; ++i) {
      const std::size_t count = std::min<std::size_t>(64, log_events - written);
      const std::string user = "f" + std::to_string(filler * 4 + i);
      batch.push_back({"User-" + user, 0, user_events(user, 0, count)});
      written += count;
    }
    for (const auto& outcome : store.append_batch(batch))
      if (!outcome) return false;
  }
  return true;
}

figure read_whole_log(event_store& store, const std::string& store_name, std::size_t log_events) {
  figure read_all = log_row("baseline/read-all", store_name,
                            "log_events=" + std::to_string(log_events) + " page=1024");
  reset_peak_resident_bytes();
  const auto started = clock_type::now();
  for (std::uint64_t next = 1;;) {
    auto page = store.read_all(next, 1024);
    if (!page) {
      read_all.failed = 1;
      read_all.first_failure = page.error_value().message;
      break;
    }
    if (page->empty()) break;
    read_all.operations += 1;
    read_all.events += page->size();
    next = page->back().position + 1;
  }
  read_all.seconds = seconds_since(started);
  read_all.peak_rss_bytes = peak_resident_bytes();
  return read_all;
}

figure read_whole_log_into(event_store& store, const std::string& store_name,
                           std::size_t log_events) {
  figure read_all = log_row("baseline/read-all-into", store_name,
                            "log_events=" + std::to_string(log_events) + " page=1024 (reused)");
  read_all.limit_keys.clear();
  reset_peak_resident_bytes();
  const auto started = clock_type::now();
  std::vector<recorded_event> page;
  for (std::uint64_t next = 1;;) {
    if (auto read = store.read_all_into(page, next, 1024); !read) {
      read_all.failed = 1;
      read_all.first_failure = read.error_value().message;
      break;
    }
    if (page.empty()) break;
    read_all.operations += 1;
    read_all.events += page.size();
    next = page.back().position + 1;
  }
  read_all.seconds = seconds_since(started);
  read_all.peak_rss_bytes = peak_resident_bytes();
  return read_all;
}

std::vector<figure> catch_up_projections(const bench_options& options,
                                         const std::string& store_name, runtime& rt,
                                         std::size_t log_events) {
  const std::string log_params = "log_events=" + std::to_string(log_events);
  figure project = log_row("replay/projection", store_name, log_params);
  reset_peak_resident_bytes();
  auto counter = std::make_shared<counting_projection>();
  const auto started = clock_type::now();
  rt.add_projection(counter);
  auto synced = rt.sync_projections();
  project.seconds = seconds_since(started);
  project.peak_rss_bytes = peak_resident_bytes();
  project.operations = 1;
  project.events = counter->count();
  if (!synced) {
    project.failed = 1;
    project.first_failure = synced.error_value().message;
  }
  figure typed = log_row("replay/projection-typed", store_name,
                         log_params + " checkpoint_every=1000 (event store)");
  typed = project_typed(rt, typed, "");
  figure sqlite_model = log_row("replay/projection-sqlite-model", store_name,
                                log_params + " checkpoint_every=1000 (one upsert per event)");
  const std::string read_model_path =
      options.directory + "/esk-bench-read-model-" + store_name + ".db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((read_model_path + suffix).c_str());
  sqlite_model = project_typed(rt, sqlite_model, read_model_path);
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((read_model_path + suffix).c_str());
  return {project, typed, sqlite_model};
}

std::vector<figure> run_catch_up(const bench_options& options, const std::string& store_name) {
  const std::size_t log_events = options.scaled(1000000);
  auto scratch = scratch_store::open(store_name, options, "catch-up");
  std::vector<figure> rows;
  if (!scratch || !write_replay_log(*(*scratch)->store(), 1, log_events)) {
    figure failed = log_row("replay/projection", store_name, "");
    failed.failed = 1;
    failed.first_failure = scratch ? "writing the log failed" : scratch.error_value().message;
    return {failed};
  }
  rows.push_back(read_whole_log(*(*scratch)->store(), store_name, log_events));
  rows.push_back(read_whole_log_into(*(*scratch)->store(), store_name, log_events));
  runtime rt{(*scratch)->store(), runtime_options{options.threads, std::chrono::minutes(10)}};
  users::register_user(rt);
  auto projected = catch_up_projections(options, store_name, rt, log_events);
  rows.insert(rows.end(), projected.begin(), projected.end());
  return rows;
}

}  // namespace esk::bench
