#include "command_job.hpp"

#include <utility>

namespace esk {
namespace {

// Leaves the in-flight count and the gate when it goes out of scope, whatever happened
// before.
class in_flight_release {
 public:
  in_flight_release(std::shared_ptr<in_flight_counter> counter, std::shared_ptr<command_gate> gate)
      : counter_(std::move(counter)), gate_(std::move(gate)) {}
  in_flight_release(const in_flight_release&) = delete;
  in_flight_release& operator=(const in_flight_release&) = delete;
  ~in_flight_release() {
    if (gate_) gate_->leave();
    if (counter_) counter_->leave();
  }

 private:
  std::shared_ptr<in_flight_counter> counter_;
  std::shared_ptr<command_gate> gate_;
};

// Why a job destroyed unanswered did not complete, given what it is answered with.
const char* dropped_reason(error_kind kind) {
  return kind == error_kind::shutting_down
             ? ": the runtime stopped at its deadline before answering (if its append had "
               "reached the store it may still be recorded: re-read the stream to know)"
             : ": the aggregate actor stopped before answering";
}

}  // namespace

command_job::command_job(std::shared_ptr<const aggregate_model> aggregate_model,
                         std::string target_id, command_value command_to_run,
                         command_callback on_done, std::shared_ptr<in_flight_counter> counter,
                         std::shared_ptr<command_gate> gate, std::shared_ptr<const log_sink> log)
    : aggregate(std::move(aggregate_model)),
      aggregate_id(std::move(target_id)),
      command(std::move(command_to_run)),
      on_done_(std::move(on_done)),
      counter_(std::move(counter)),
      gate_(std::move(gate)),
      log_(std::move(log)) {
  if (counter_) counter_->enter();
}

command_job::~command_job() {
  if (!on_done_) return;
  const error_kind kind = gate_ ? gate_->answer_for_dropped_command() : error_kind::handler_failed;
  try {
    complete(error{kind, describe() + dropped_reason(kind)});
  } catch (...) {
    // Only building the message can throw (std::bad_alloc); complete() itself never does.
    // A destructor must not, so answer without the description.
    complete(error{kind, {}});
  }
}

std::string command_job::describe() const {
  return aggregate->type_name + " " + aggregate_id + ": " + command.type;
}

void command_job::complete(command_result outcome) noexcept {
  if (!on_done_) return;
  in_flight_release release{std::move(counter_), std::move(gate_)};
  auto on_done = std::move(on_done_);
  on_done_ = nullptr;
  if (outcome && aggregate->answer_in_current_schema) {
    try {
      aggregate->answer_in_current_schema(*outcome);
    } catch (...) {
      // Only memory can run out here (aggregate_model: a conversion that fails leaves the
      // events as stored); the events are recorded, so the callback still gets them.
    }
  }
  call_user_callback(on_done, std::move(outcome), *log_,
                     [this] { return "the callback of " + describe(); });
}

}  // namespace esk
