// serve_process.hpp — `users_example serve` as a child process whose standard output the test
// reads (the "listening on" line), so a test can signal it while clients talk to it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace esk::testing {

class serve_process {
 public:
  // Starts `program` with `arguments`, its standard output into a pipe. Throws
  // std::system_error if it cannot start.
  serve_process(const std::string& program, const std::vector<std::string>& arguments);

  // SIGKILLs and reaps the child if it still runs.
  ~serve_process();

  serve_process(const serve_process&) = delete;
  serve_process& operator=(const serve_process&) = delete;

  // Reads the child's output until the line "listening on http://ADDR:PORT" and returns PORT.
  // Throws std::runtime_error if it does not come within `timeout` or the output ends first.
  std::uint16_t wait_until_listening(std::chrono::milliseconds timeout);

  // Sends `signal` to the child. Never blocks.
  void send(int signal);

  // Waits for the child to end; returns its wait status.
  int wait();

  // Everything the child wrote to its standard output so far (after wait(): all of it).
  const std::string& output() const { return output_; }

 private:
  bool read_output(std::chrono::milliseconds timeout);  // false at the end of the output

  pid_t pid_ = -1;
  int output_fd_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string output_;
};

}  // namespace esk::testing
