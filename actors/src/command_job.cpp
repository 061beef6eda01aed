#include "command_job.hpp"

#include <utility>

namespace esk {
namespace {

// Leaves the in-flight count when it goes out of scope, whatever happened before.
class in_flight_release {
 public:
  explicit in_flight_release(std::shared_ptr<in_flight_counter> counter)
      : counter_(std::move(counter)) {}
  in_flight_release(const in_flight_release&) = delete;
  in_flight_release& operator=(const in_flight_release&) = delete;
  ~in_flight_release() {
    if (counter_) counter_->leave();
  }

 private:
  std::shared_ptr<in_flight_counter> counter_;
};

}  // namespace

command_job::command_job(std::shared_ptr<const aggregate_model> aggregate_model,
                         std::string target_id, command_value command_to_run,
                         command_callback on_done, std::shared_ptr<in_flight_counter> counter,
                         std::shared_ptr<const log_sink> log)
    : aggregate(std::move(aggregate_model)),
      aggregate_id(std::move(target_id)),
      command(std::move(command_to_run)),
      on_done_(std::move(on_done)),
      counter_(std::move(counter)),
      log_(std::move(log)) {
  if (counter_) counter_->enter();
}

command_job::~command_job() {
  if (!on_done_) return;
  try {
    complete(error{error_kind::handler_failed,
                   describe() + ": the aggregate actor stopped before answering"});
  } catch (...) {
    // Only building the message can throw (std::bad_alloc); complete() itself never does.
    // A destructor must not, so answer without the description.
    complete(error{error_kind::handler_failed, {}});
  }
}

std::string command_job::describe() const {
  return aggregate->type_name + " " + aggregate_id + ": " + command.type;
}

void command_job::complete(command_result outcome) noexcept {
  if (!on_done_) return;
  in_flight_release release{std::move(counter_)};
  auto on_done = std::move(on_done_);
  on_done_ = nullptr;
  static const log_sink default_sink;
  call_user_callback(on_done, std::move(outcome), log_ ? *log_ : default_sink,
                     [this] { return "the callback of " + describe(); });
}

}  // namespace esk
