// A command on its way through the engine's actors, with the callback that receives its
// outcome. Internal to the actors layer.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "command_gate.hpp"
#include "esk/actors/aggregate_model.hpp"
#include "esk/log_sink.hpp"
#include "in_flight_counter.hpp"

namespace esk {

// A command addressed to one aggregate instance. The callback runs exactly once: through
// complete(), or, if the job is destroyed unanswered (an actor stopped), with handler_failed
// (shutting_down when the engine stopped it at a stop's deadline: command_gate::expire).
// Whatever the callback throws is caught and logged: user code cannot stop the actor that
// answers, and the in-flight count is released in any case. Shared between actors, never
// copied.
class command_job {
 public:
  // Counts the job as in flight on `counter` until it is answered; reports what the callback
  // throws to `log`. REQUIRES: log != nullptr (an empty sink means stderr); the job already
  // holds a place in `gate` (command_gate::admit); it gives it back once answered.
  command_job(std::shared_ptr<const aggregate_model> aggregate, std::string aggregate_id,
              command_value command, command_callback on_done,
              std::shared_ptr<in_flight_counter> counter, std::shared_ptr<command_gate> gate,
              std::shared_ptr<const log_sink> log);
  command_job(const command_job&) = delete;
  command_job& operator=(const command_job&) = delete;
  ~command_job();

  // Delivers the outcome to the callback. Later calls are ignored. Never throws.
  void complete(command_result outcome) noexcept;

  // "User 42: CreateUser": how messages name this command.
  std::string describe() const;

  const std::shared_ptr<const aggregate_model> aggregate;
  const std::string aggregate_id;
  const command_value command;

 private:
  command_callback on_done_;
  std::shared_ptr<in_flight_counter> counter_;
  std::shared_ptr<command_gate> gate_;
  std::shared_ptr<const log_sink> log_;
};

// Calls `callback(argument)`; if it throws, logs "<describe_caller()> threw ..." to `log`.
// User callbacks are untrusted: this is how the actors call them. Never throws.
template <class Callback, class Argument, class Describe>
void call_user_callback(const Callback& callback, Argument&& argument, const log_sink& log,
                        const Describe& describe_caller) noexcept {
  try {
    callback(std::forward<Argument>(argument));
  } catch (...) {
    try {
      write_log(log, describe_caller() + " threw (ignored; the actor keeps serving): " +
                         describe_current_exception());
    } catch (...) {
      write_log(log, "a callback threw, and describing it ran out of memory");
    }
  }
}

}  // namespace esk
