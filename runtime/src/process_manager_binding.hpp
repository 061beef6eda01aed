// process_manager_binding.hpp — a process_manager bound to the runtime: a typed projection whose
// handlers send the commands they queue, with IDs derived from the event, and wait for them.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <typeindex>

#include "esk/actors/aggregate_model.hpp"
#include "esk/log_sink.hpp"
#include "esk/process_manager.hpp"
#include "esk/runtime.hpp"
#include "esk/typed_projection.hpp"

namespace esk {

// Where process managers send commands: the runtime's send, until the runtime closes it (its
// destructor), after which sending fails with shutting_down. Thread-safe.
class command_outlet {
 public:
  using send_function = std::function<void(std::type_index, std::shared_ptr<const void>,
                                           command_options, command_callback)>;

  explicit command_outlet(send_function send) : send_(std::move(send)) {}

  // Sends through the runtime; when closed, calls on_done with shutting_down instead. Never
  // blocks for long (the runtime's send never blocks).
  void send(std::type_index type, std::shared_ptr<const void> command, command_options options,
            command_callback on_done);

  // From now on every send is answered shutting_down. Waits for a send in progress.
  void close();

 private:
  std::mutex mutex_;
  bool closed_ = false;
  send_function send_;
};

// The typed projection that runs `manager`: after each handler it sends the queued commands
// through `outlet` (IDs "<event ID>/<index>", correlation = the event's, causation = the event's
// ID) and waits up to `answer_timeout` for each answer. A rejected command is written to `log`;
// any other failure throws std::runtime_error naming the process manager, the event and the
// command, so the projection's failure policy applies.
typed_projection bind_process_manager(const process_manager& manager,
                                      std::shared_ptr<command_outlet> outlet,
                                      std::shared_ptr<const log_sink> log,
                                      std::chrono::milliseconds answer_timeout);

}  // namespace esk
