// The http workload: users-10k as JSON commands over keep-alive HTTP connections to an
// in-process esk_http server on a loopback port, beside users-10k concurrent without HTTP in
// the same run (the row it is judged against).
#include <algorithm>
#include <esk/esk.hpp>
#include <esk/http_server.hpp>
#include <memory>
#include <string>

#include "aggregates/user.hpp"
#include "http_load.hpp"
#include "process_memory.hpp"
#include "scratch_store.hpp"
#include "user_commands.hpp"
#include "workloads.hpp"

namespace esk::bench {
namespace {

// Lane = user u<lane>; step 0 creates it, step k changes its email (as users-10k sends them).
http_plan users_over_http(std::size_t users, std::size_t steps) {
  http_plan plan;
  plan.lanes = users;
  plan.steps = steps;
  plan.body = [](std::size_t lane, std::size_t step) {
    const std::string id = user_id(lane);
    if (step == 0)
      return R"({"type":"CreateUser","payload":{"user_id":")" + id + R"(","name":"User )" +
             std::to_string(lane) + R"(","email":")" + user_email(id, 0) + R"("}})";
    return R"({"type":"ChangeEmail","payload":{"user_id":")" + id + R"(","email":")" +
           user_email(id, step) + R"("}})";
  };
  return plan;
}

// users-10k over HTTP on a fresh store: a runtime as users-10k's, an http_server on a free
// loopback port, options.in_flight connections.
figure measure_over_http(const bench_options& options, const std::string& store_name,
                         std::size_t users) {
  figure row;
  row.name = "http/users-10k";
  row.store = store_name;
  row.parameters = "users=" + std::to_string(users) + " commands=" + std::to_string(users * 10) +
                   " connections=" + std::to_string(options.in_flight) +
                   " keep-alive, one request at a time each";
  row.limit_keys = {"baseline/users-10k-concurrent@" + store_name};
  row.note = "target: >= 0.5 of users-10k concurrent without HTTP";
  auto fail = [&row](const std::string& why) {
    row.failed = 1;
    row.first_failure = why;
    return row;
  };
  auto scratch = scratch_store::open(store_name, options, "http");
  if (!scratch) return fail(scratch.error_value().message);
  reset_peak_resident_bytes();
  runtime_options settings;
  settings.worker_threads = options.threads;
  if (options.remembered_commands) settings.remembered_commands = *options.remembered_commands;
  runtime rt{(*scratch)->store(), settings};
  users::register_user(rt);
  http_options listening;
  listening.port = 0;
  listening.max_connections = std::max<std::size_t>(1024, options.in_flight);
  listening.max_in_flight = std::max<std::size_t>(1024, options.in_flight);
  http_server server{rt, listening};
  if (auto started = server.start(); !started) return fail(started.error_value().message);
  latency_histogram latency;
  const drive_result result =
      drive_http(users_over_http(users, 10), server.port(), options.in_flight, latency);
  server.stop();
  row.peak_rss_bytes = peak_resident_bytes();
  record_drive(result, latency, row);
  row.events = result.commands - result.failed;  // each users-10k command records one event
  return row;
}

}  // namespace

std::vector<figure> run_http(const bench_options& options, const std::string& store) {
  bench_options in_process = options;
  in_process.sequential = false;
  in_process.concurrent = true;
  in_process.hot = false;
  std::vector<figure> rows = run_users_10k(in_process, store);
  for (auto& row : rows) {
    row.name = "baseline/users-10k-concurrent";  // the same drive as users-10k/concurrent
    row.limit_keys.clear();
  }
  rows.push_back(measure_over_http(options, store, options.scaled(10000)));
  return rows;
}

}  // namespace esk::bench
