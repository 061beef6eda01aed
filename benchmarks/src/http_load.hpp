// http_load.hpp — the benchmark's own HTTP client: N keep-alive connections on one thread, each
// sending its requests in sequence (the server answers one request at a time per connection),
// measuring each request from its write to its answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "command_driver.hpp"
#include "latency_histogram.hpp"

namespace esk::bench {

// What the connections send: `lanes` lanes of `steps` JSON bodies each, POSTed to `target`.
// A lane's steps go out in order, one after another's answer (a lane stays on one connection).
struct http_plan {
  std::size_t lanes = 0;
  std::size_t steps = 0;
  std::string target = "/commands";
  // The body of step `step` of lane `lane`.
  std::function<std::string(std::size_t lane, std::size_t step)> body;
};

// Sends every request of `plan` to 127.0.0.1:`port` over `connections` keep-alive connections
// (lane l on connection l % connections, step-major within a connection) and waits for every
// answer. A request counts as failed unless answered 200; `events` is not counted. Blocks.
drive_result drive_http(const http_plan& plan, std::uint16_t port, std::size_t connections,
                        latency_histogram& latency);

}  // namespace esk::bench
