// A callback counted as in flight until it has run, and run exactly once: if every copy of it
// is dropped uncalled (the actor holding it stopped), it runs with an error instead. Internal
// to the actors layer.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "command_gate.hpp"
#include "command_job.hpp"
#include "esk/log_sink.hpp"
#include "in_flight_counter.hpp"

namespace esk {

template <class Argument>
class counted_call {
 public:
  counted_call(std::shared_ptr<in_flight_counter> counter, std::shared_ptr<const log_sink> log,
               std::function<void(Argument)> callback, const char* what,
               std::shared_ptr<const command_gate> gate)
      : counter_(std::move(counter)),
        log_(std::move(log)),
        callback_(std::move(callback)),
        what_(what),
        gate_(std::move(gate)) {
    counter_->enter();
  }
  counted_call(const counted_call&) = delete;
  counted_call& operator=(const counted_call&) = delete;

  ~counted_call() {
    if (!callback_) return;
    const bool stopping = gate_ && gate_->expired();
    try {
      run(error{stopping ? error_kind::shutting_down : error_kind::handler_failed,
                std::string(what_) + (stopping ? ": the runtime stopped before it ran"
                                               : ": its actor stopped before it ran")});
    } catch (...) {
      // Only building the message can throw (std::bad_alloc); run() itself never does.
      run(error{error_kind::handler_failed, {}});
    }
  }

  // Calls the callback the first time; what it throws is logged. Later calls do nothing.
  void run(Argument argument) noexcept {
    if (!callback_) return;
    auto callback = std::move(callback_);
    callback_ = nullptr;
    call_user_callback(callback, std::move(argument), *log_, [this] { return std::string(what_); });
    counter_->leave();
  }

 private:
  std::shared_ptr<in_flight_counter> counter_;
  std::shared_ptr<const log_sink> log_;
  std::function<void(Argument)> callback_;
  const char* what_;
  std::shared_ptr<const command_gate> gate_;
};

// Counts `callback` as in flight on `counter` from now until it has run, so the engine's
// destructor waits for it. The count drops whatever the callback does; what it throws is
// logged as thrown by `what`. Dropped uncalled, it runs with handler_failed (shutting_down once
// `gate` expired).
template <class Argument>
std::function<void(Argument)> counted(std::shared_ptr<in_flight_counter> counter,
                                      std::shared_ptr<const log_sink> log,
                                      std::function<void(Argument)> callback, const char* what,
                                      std::shared_ptr<const command_gate> gate) {
  auto call = std::make_shared<counted_call<Argument>>(std::move(counter), std::move(log),
                                                       std::move(callback), what, std::move(gate));
  return [call = std::move(call)](Argument argument) { call->run(std::move(argument)); };
}

}  // namespace esk
