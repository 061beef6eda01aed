#include "progress_meter.hpp"

#include <unistd.h>

#include <iostream>

namespace esk::kit {

bool is_terminal(int fd) { return isatty(fd) == 1; }

progress_meter::progress_meter(std::string label, std::uint64_t total, bool wanted)
    : label_(std::move(label)), total_(total), enabled_(wanted && is_terminal(STDERR_FILENO)) {}

progress_meter::~progress_meter() {
  if (shown_) std::cerr << "\r\033[K" << std::flush;
}

void progress_meter::update(std::uint64_t done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (shown_ && now - last_drawn_ < std::chrono::milliseconds(100)) return;
  last_drawn_ = now;
  shown_ = true;
  std::cerr << '\r' << label_ << ": " << done << '/' << total_;
  if (total_ > 0) std::cerr << " (" << (done * 100 / total_) << "%)";
  std::cerr << "\033[K" << std::flush;
}

}  // namespace esk::kit
