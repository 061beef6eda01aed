// esk/actors/stop_report.hpp — what a graceful stop of the runtime did.
#pragma once

#include <cstddef>

namespace esk {

// The outcome of runtime::stop (and engine::stop). Commands sent once the stop began are not
// counted here: each was refused at once with shutting_down.
struct stop_report {
  // Commands in flight (accepted, not yet answered) when the stop began.
  std::size_t in_flight_at_stop = 0;
  // Of those, the ones answered with their own outcome (success or any error) before the
  // deadline.
  std::size_t completed = 0;
  // Of those, the ones still in flight at the deadline, answered shutting_down. Such a command
  // was not acknowledged; if its append had already reached the store it may still be
  // recorded (as after a timeout): re-read the stream to know.
  std::size_t answered_shutting_down = 0;
  // Whether the deadline passed before every command in flight was answered.
  bool deadline_passed = false;
};

}  // namespace esk
