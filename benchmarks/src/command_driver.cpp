#include "command_driver.hpp"

#include <atomic>
#include <chrono>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <vector>

namespace esk::bench {
namespace {

using clock_type = std::chrono::steady_clock;

// Shared by the driver and every callback; callbacks run on actor threads.
struct drive_state {
  const command_plan* plan = nullptr;
  latency_histogram* latency = nullptr;
  std::uint64_t total = 0;
  std::atomic<std::uint64_t> completed{0}, events{0}, failed{0};
  clock_type::time_point started, ended;
  std::promise<void> finished;

  std::mutex mutex;  // guards everything below
  std::string first_failure;
  std::deque<std::size_t> ready_lanes;  // lanes whose next step may be sent
  std::vector<std::size_t> next_step;   // per lane
  std::uint64_t next_index = 0;         // pipelined: the next command, lane-major
};
using shared_state = std::shared_ptr<drive_state>;

// Records one outcome; returns true when it was the last command.
bool account(drive_state& state, const command_result& outcome, clock_type::time_point sent) {
  state.latency->record(clock_type::now() - sent);
  if (outcome) {
    state.events.fetch_add(outcome->size(), std::memory_order_relaxed);
  } else if (state.failed.fetch_add(1, std::memory_order_relaxed) == 0) {
    std::lock_guard lock{state.mutex};
    state.first_failure =
        to_string(outcome.kind()).data() + std::string(": ") + outcome.error_value().message;
  }
  if (state.completed.fetch_add(1, std::memory_order_acq_rel) + 1 < state.total) return false;
  state.ended = clock_type::now();
  state.finished.set_value();
  return true;
}

drive_result wait_and_collect(const shared_state& state) {
  state->finished.get_future().wait();
  drive_result result;
  result.commands = state->total;
  result.events = state->events.load();
  result.failed = state->failed.load();
  std::lock_guard lock{state->mutex};
  result.first_failure = state->first_failure;
  result.seconds = std::chrono::duration<double>(state->ended - state->started).count();
  return result;
}

shared_state make_state(const command_plan& plan, latency_histogram& latency) {
  auto state = std::make_shared<drive_state>();
  state->plan = &plan;
  state->latency = &latency;
  state->total = static_cast<std::uint64_t>(plan.lanes) * plan.steps;
  state->next_step.assign(plan.lanes, 0);
  return state;
}

void send_in_sequence(const shared_state& state, std::uint64_t index) {
  const auto lanes = state->plan->lanes;
  const auto sent = clock_type::now();
  state->plan->send(index % lanes, index / lanes, [state, index, sent](command_result outcome) {
    if (!account(*state, outcome, sent)) send_in_sequence(state, index + 1);
  });
}

void send_lane(const shared_state& state, std::size_t lane, std::size_t step) {
  const auto sent = clock_type::now();
  state->plan->send(lane, step, [state, lane, sent](command_result outcome) {
    std::size_t next_lane = 0, next_step = 0;
    bool has_next = false;
    {
      std::lock_guard lock{state->mutex};
      if (++state->next_step[lane] < state->plan->steps) state->ready_lanes.push_back(lane);
      if (!state->ready_lanes.empty()) {
        next_lane = state->ready_lanes.front();
        state->ready_lanes.pop_front();
        next_step = state->next_step[next_lane];
        has_next = true;
      }
    }
    // Send before accounting: the driver's state must outlive the last callback's use of it.
    if (has_next) send_lane(state, next_lane, next_step);
    account(*state, outcome, sent);
  });
}

// REQUIRES: state->mutex held (keeps each lane's commands in order at the router).
void send_next_pipelined(const shared_state& state) {
  if (state->next_index >= state->total) return;
  const std::uint64_t index = state->next_index++;
  const auto steps = state->plan->steps;
  const auto sent = clock_type::now();
  state->plan->send(index / steps, index % steps, [state, sent](command_result outcome) {
    {
      std::lock_guard lock{state->mutex};
      send_next_pipelined(state);
    }
    account(*state, outcome, sent);
  });
}

}  // namespace

drive_result drive_sequential(const command_plan& plan, latency_histogram& latency) {
  auto state = make_state(plan, latency);
  if (state->total == 0) return {};
  state->started = clock_type::now();
  send_in_sequence(state, 0);
  return wait_and_collect(state);
}

drive_result drive_concurrent(const command_plan& plan, std::size_t in_flight, bool pipeline_lanes,
                              latency_histogram& latency) {
  auto state = make_state(plan, latency);
  if (state->total == 0) return {};
  state->started = clock_type::now();
  if (pipeline_lanes) {
    std::lock_guard lock{state->mutex};
    for (std::size_t i = 0; i < in_flight; ++i) send_next_pipelined(state);
  } else {
    std::vector<std::size_t> first;
    {
      std::lock_guard lock{state->mutex};
      for (std::size_t lane = 0; lane < plan.lanes; ++lane) state->ready_lanes.push_back(lane);
      while (first.size() < in_flight && !state->ready_lanes.empty()) {
        first.push_back(state->ready_lanes.front());
        state->ready_lanes.pop_front();
      }
    }
    for (std::size_t lane : first) send_lane(state, lane, 0);
  }
  return wait_and_collect(state);
}

void record_drive(const drive_result& result, const latency_histogram& latency, figure& row) {
  row.operations = result.commands;
  row.events = result.events;
  row.seconds = result.seconds;
  row.failed = result.failed;
  row.first_failure = result.first_failure;
  set_latency(row, latency);
}

}  // namespace esk::bench
