#include "serve_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <system_error>

extern char** environ;

namespace esk::testing {

serve_process::serve_process(const std::string& program,
                             const std::vector<std::string>& arguments) {
  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category());
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
  std::vector<std::string> words{program};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  const int failed = posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_ends[1]);
  output_fd_ = pipe_ends[0];
  if (failed != 0) {
    ::close(output_fd_);
    throw std::system_error(failed, std::generic_category(), "cannot start " + program);
  }
}

serve_process::~serve_process() {
  if (!reaped_) {
    ::kill(pid_, SIGKILL);
    wait();
  }
  ::close(output_fd_);
}

bool serve_process::read_output(std::chrono::milliseconds timeout) {
  pollfd readable{output_fd_, POLLIN, 0};
  if (::poll(&readable, 1, static_cast<int>(timeout.count())) <= 0)
    throw std::runtime_error("no output from the server within the timeout; so far: " + output_);
  char chunk[4096];
  const ssize_t count = ::read(output_fd_, chunk, sizeof chunk);
  if (count <= 0) return false;
  output_.append(chunk, static_cast<std::size_t>(count));
  return true;
}

std::uint16_t serve_process::wait_until_listening(std::chrono::milliseconds timeout) {
  const std::string marker = "listening on http://";
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto at = output_.find(marker);
    const auto end = at == std::string::npos ? at : output_.find('\n', at);
    if (end != std::string::npos) {
      const auto colon = output_.rfind(':', end);
      return static_cast<std::uint16_t>(std::stoul(output_.substr(colon + 1, end - colon - 1)));
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !read_output(left))
      throw std::runtime_error("the server never said it listens; it wrote: " + output_);
  }
}

void serve_process::send(int signal) { ::kill(pid_, signal); }

int serve_process::wait() {
  if (!reaped_) {
    while (::waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    // The rest of the output: the pipe's write end closed with the child.
    try {
      while (read_output(std::chrono::seconds(5))) {
      }
    } catch (const std::runtime_error&) {
      // Nothing more arrived: whatever was written is in output_ already.
    }
  }
  return status_;
}

}  // namespace esk::testing
