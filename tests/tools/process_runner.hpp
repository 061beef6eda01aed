// process_runner.hpp — runs a program as a test would from a shell and captures what it did.
#pragma once

#include <string>
#include <vector>

namespace esk::testing {

// What a finished program left behind.
struct process_outcome {
  int exit_code = -1;  // the exit status; 128 + signal number if a signal killed it
  std::string out;     // everything written to stdout
  std::string err;     // everything written to stderr

  // "exit 4, stdout: ..., stderr: ..." for assertion messages.
  std::string describe() const;
};

// Runs `program` (a path; not looked up in PATH) with `args` in directory `working_dir`
// (empty: the current one), with stdin from /dev/null and stdout and stderr captured through
// files (so neither is a terminal). Blocks until it exits. Throws std::runtime_error if it
// cannot be started.
process_outcome run_process(const std::string& program, const std::vector<std::string>& args,
                            const std::string& working_dir = "");

}  // namespace esk::testing
