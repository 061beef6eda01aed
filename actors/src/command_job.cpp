#include <utility>

#include "esk/actors/aggregate_model.hpp"
#include "in_flight_counter.hpp"

namespace esk {

command_job::command_job(std::shared_ptr<const aggregate_model> aggregate_model,
                         std::string target_id, command_value command_to_run,
                         command_callback on_done, std::shared_ptr<in_flight_counter> counter)
    : aggregate(std::move(aggregate_model)),
      aggregate_id(std::move(target_id)),
      command(std::move(command_to_run)),
      on_done_(std::move(on_done)),
      counter_(std::move(counter)) {
  if (counter_) counter_->enter();
}

command_job::~command_job() {
  if (on_done_)
    complete(error{error_kind::handler_failed,
                   aggregate->type_name + " " + aggregate_id + ": " + command.type +
                       ": the aggregate actor stopped before answering"});
}

void command_job::complete(command_result outcome) {
  if (!on_done_) return;
  auto on_done = std::move(on_done_);
  on_done_ = nullptr;
  on_done(std::move(outcome));
  if (counter_) counter_->leave();
  counter_.reset();
}

}  // namespace esk
