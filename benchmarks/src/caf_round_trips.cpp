// Baseline: bare CAF request/response round trips between two actors, on the same scheduler
// settings as the runtime's engine (scheduler.max-threads = threads, or one per core).
#include <algorithm>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "workloads.hpp"

namespace esk::bench {
namespace {

using clock_type = std::chrono::steady_clock;

struct round_trip_run {
  std::uint64_t in_flight = 0;
  clock_type::time_point deadline;
  std::uint64_t sent = 0, received = 0;  // touched only by the driver actor
  latency_histogram latency;
  clock_type::time_point started, ended;
  std::promise<void> finished;
};

caf::behavior echo(caf::event_based_actor*) {
  return {[](std::uint64_t value) { return value; }};
}

void send_one(caf::event_based_actor* self, const caf::actor& target,
              const std::shared_ptr<round_trip_run>& run) {
  ++run->sent;
  const auto sent_at = clock_type::now();
  self->request(target, caf::infinite, run->sent).then([=](std::uint64_t) {
    const auto now = clock_type::now();
    run->latency.record(now - sent_at);
    ++run->received;
    if (now < run->deadline) {
      send_one(self, target, run);
    } else if (run->received == run->sent) {
      run->ended = now;
      run->finished.set_value();
    }
  });
}

}  // namespace

figure caf_round_trips(const bench_options& options, std::size_t in_flight) {
  std::size_t threads = options.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  caf::actor_system_config config;
  config.set("scheduler.max-threads", threads);
  caf::actor_system system{config};

  auto run = std::make_shared<round_trip_run>();
  run->in_flight = in_flight;
  auto target = system.spawn(echo);
  run->started = clock_type::now();
  run->deadline = run->started + std::chrono::duration_cast<clock_type::duration>(
                                     std::chrono::duration<double>(options.baseline_seconds));
  system.spawn([=](caf::event_based_actor* self) {
    for (std::size_t i = 0; i < in_flight; ++i) send_one(self, target, run);
  });
  run->finished.get_future().wait();
  caf::anon_send_exit(target, caf::exit_reason::user_shutdown);

  figure row;
  row.name = "baseline/caf-rtt-" + std::to_string(in_flight);
  row.store = "-";
  row.parameters =
      "in_flight=" + std::to_string(in_flight) + " scheduler_threads=" + std::to_string(threads);
  row.operations = run->received;
  row.seconds = std::chrono::duration<double>(run->ended - run->started).count();
  set_latency(row, run->latency);
  return row;
}

}  // namespace esk::bench
