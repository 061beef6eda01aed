// progress_meter.hpp — "reading events: 41000/120000 (34%)" on stderr while a long read runs,
// only when stderr is a terminal, so piped or redirected output stays clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace esk::kit {

class progress_meter {
 public:
  // A meter for `total` units labelled `label`. It shows nothing unless stderr is a terminal
  // and `wanted` (callers pass false when the progress would mix with their own terminal output).
  progress_meter(std::string label, std::uint64_t total, bool wanted = true);

  // Erases the progress line, if one was shown.
  ~progress_meter();

  progress_meter(const progress_meter&) = delete;
  progress_meter& operator=(const progress_meter&) = delete;

  // Reports that `done` of the total units are done. Redraws at most ten times a second.
  void update(std::uint64_t done);

 private:
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_drawn_{};
};

// True when file descriptor `fd` is a terminal.
bool is_terminal(int fd);

}  // namespace esk::kit
