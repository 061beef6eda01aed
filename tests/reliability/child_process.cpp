#include "child_process.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <system_error>

extern char** environ;

namespace esk::reliability {

child_process::child_process(const std::string& program,
                             const std::vector<std::string>& arguments) {
  std::vector<std::string> words{program};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  int failure = posix_spawn(&pid_, program.c_str(), nullptr, nullptr, argv.data(), environ);
  if (failure != 0) throw std::system_error(failure, std::generic_category(), "spawn " + program);
}

child_process::~child_process() {
  if (reaped_) return;
  kill_hard();
  wait();
}

void child_process::kill_hard() {
  if (!reaped_) ::kill(pid_, SIGKILL);
}

int child_process::wait() {
  while (!reaped_) {
    if (::waitpid(pid_, &status_, 0) == pid_)
      reaped_ = true;
    else if (errno != EINTR)
      throw std::system_error(errno, std::generic_category(), "waitpid");
  }
  return status_;
}

bool child_process::running() {
  if (reaped_) return false;
  if (::waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
  return !reaped_;
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exited with " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "ended with wait status " + std::to_string(status);
}

}  // namespace esk::reliability
