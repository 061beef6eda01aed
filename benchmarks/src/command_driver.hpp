// command_driver.hpp — feeds commands to a runtime through its asynchronous API (callbacks),
// one at a time or with N in flight, and measures throughput and per-command latency.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "esk/actors/aggregate_model.hpp"
#include "figures.hpp"
#include "latency_histogram.hpp"

namespace esk::bench {

// A workload as lanes (one per aggregate instance) of steps that must run in order.
struct command_plan {
  std::size_t lanes = 0;
  std::size_t steps = 0;  // per lane
  // Sends step `step` of lane `lane` (e.g. rt.send(...)) with `done` as its callback.
  // Must not block; `done` runs once, on an actor thread.
  std::function<void(std::size_t lane, std::size_t step, command_callback done)> send;
};

// What a drive measured.
struct drive_result {
  std::uint64_t commands = 0;
  std::uint64_t events = 0;  // recorded by the successful commands
  std::uint64_t failed = 0;
  std::string first_failure;
  double seconds = 0;  // from the first send to the last callback
};

// Copies what `result` measured (counts, time, failures) and `latency`'s percentiles into `row`.
void record_drive(const drive_result& result, const latency_histogram& latency, figure& row);

// Sends one command, waits for its callback (which sends the next), in step-major order:
// step 0 of every lane, then step 1, ... Blocks the caller until all completed.
drive_result drive_sequential(const command_plan& plan, latency_histogram& latency);

// Keeps `in_flight` commands in flight. Unless `pipeline_lanes`, a lane has at most one
// command in flight and lanes take turns (a finished lane goes to the back of the queue);
// with `pipeline_lanes` the commands go out lane by lane, several per lane at once (sent
// under a lock so each lane's order holds). Blocks the caller until all completed.
drive_result drive_concurrent(const command_plan& plan, std::size_t in_flight, bool pipeline_lanes,
                              latency_histogram& latency);

}  // namespace esk::bench
