// child_process.hpp — a helper program run as a separate process, so a test can SIGKILL it
// or let two of them race on one store file.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace esk::reliability {

class child_process {
 public:
  // Starts `program` with `arguments` (posix_spawn: safe from a multi-threaded test process).
  // Throws std::system_error if it cannot start.
  child_process(const std::string& program, const std::vector<std::string>& arguments);

  // Kills (SIGKILL) and reaps the child if it still runs, so no test leaves one behind.
  ~child_process();

  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // Sends SIGKILL. Never blocks.
  void kill_hard();

  // Blocks until the child ends; returns its wait status (see WIFEXITED, WTERMSIG).
  int wait();

  // True while the child has not ended. Never blocks.
  bool running();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

// "exited with 3", "killed by signal 9": a wait status for humans.
std::string describe_wait_status(int status);

}  // namespace esk::reliability
