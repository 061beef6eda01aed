#include "process_manager_binding.hpp"

#include <future>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace esk {
namespace {

// What one process manager needs to send and wait.
struct sending_context {
  std::string manager_name;
  std::shared_ptr<command_outlet> outlet;
  std::shared_ptr<const log_sink> log;
  std::chrono::milliseconds answer_timeout;
};

// The options that make a replay of `context`'s event send the `index`th command again with
// the same ID, in the same conversation.
command_options derived_options(const event_context& context, std::size_t index) {
  const auto& event = context.metadata();
  command_options options;
  options.command_id = derived_command_id(event.event_id, index);
  options.correlation_id = event.correlation_id.empty() ? event.event_id : event.correlation_id;
  options.causation_id = event.event_id;
  return options;
}

// Sends every queued command at once, then waits for each answer. Throws on any failure but a
// rejection (logged), naming the command, so the failure policy applies to the event.
void send_and_wait(const sending_context& sending, const event_context& context,
                   const outgoing_commands& out) {
  std::vector<std::future<command_result>> answers;
  answers.reserve(out.commands().size());
  for (std::size_t index = 0; index < out.commands().size(); ++index) {
    auto promise = std::make_shared<std::promise<command_result>>();
    answers.push_back(promise->get_future());
    const auto& queued = out.commands()[index];
    sending.outlet->send(
        queued.type, queued.command, derived_options(context, index),
        [promise](command_result outcome) { promise->set_value(std::move(outcome)); });
  }
  const std::string where = "process manager '" + sending.manager_name + "' at " +
                            context.stream() + " version " + std::to_string(context.version()) +
                            " (position " + std::to_string(context.position()) + ")";
  for (std::size_t index = 0; index < answers.size(); ++index) {
    const std::string command_id = derived_command_id(context.metadata().event_id, index);
    if (answers[index].wait_for(sending.answer_timeout) != std::future_status::ready)
      throw std::runtime_error(where + ": command " + command_id + " got no answer within " +
                               std::to_string(sending.answer_timeout.count()) + " ms");
    auto outcome = answers[index].get();
    if (outcome) continue;
    const auto& failure = outcome.error_value();
    const std::string described = where + ": command " + command_id +
                                  " failed: " + std::string(to_string(failure.kind)) + ": " +
                                  failure.message;
    if (failure.kind == error_kind::rejected) {
      write_log(*sending.log, described + " (rejected: not sent again)");
      continue;
    }
    throw std::runtime_error(described);
  }
}

}  // namespace

void command_outlet::send(std::type_index type, std::shared_ptr<const void> command,
                          command_options options, command_callback on_done) {
  std::unique_lock<std::mutex> lock{mutex_};
  if (closed_) {
    lock.unlock();
    on_done(error{error_kind::shutting_down, "the runtime is being destroyed"});
    return;
  }
  send_(type, std::move(command), std::move(options), std::move(on_done));
}

void command_outlet::close() {
  std::lock_guard<std::mutex> lock{mutex_};
  closed_ = true;
}

typed_projection bind_process_manager(const process_manager& manager,
                                      std::shared_ptr<command_outlet> outlet,
                                      std::shared_ptr<const log_sink> log,
                                      std::chrono::milliseconds answer_timeout) {
  auto sending = std::make_shared<const sending_context>(
      sending_context{manager.name(), std::move(outlet), std::move(log), answer_timeout});
  typed_projection bound(manager.name());
  for (const auto& [type, handle] : manager.handlers()) {
    bound.on_erased(type,
                    [sending, handle = handle](const void* event, const event_context& context) {
                      outgoing_commands out;
                      handle(event, context, out);
                      send_and_wait(*sending, context, out);
                    });
  }
  return bound;
}

}  // namespace esk
