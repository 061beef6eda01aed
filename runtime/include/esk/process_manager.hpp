// esk/process_manager.hpp — user code that reacts to committed events by sending commands:
//
//   esk::process_manager shipping("shipping");
//   shipping.on<OrderPlaced>([](const OrderPlaced& placed, const esk::event_context& at,
//                               esk::outgoing_commands& out) {
//     out.send(ShipOrder{placed.order_id});
//   });
//   rt.add_process_manager(shipping);  // checkpoint in the event store by default
//
// Each command sent for an event gets the ID "<event ID>/<index>" (index: 0, 1, ... in the
// order the handler sent them), its correlation ID is the event's correlation ID and its
// causation ID the event's ID, so the events it records carry the conversation on. A replay
// (after a crash, a reset checkpoint or a rebuild) sends the same commands with the same IDs,
// and the target aggregate answers a repeated ID with its first events instead of applying it
// again (runtime_options::remembered_commands: dedup holds for the last that many commands that
// recorded events on the target aggregate).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "esk/projection.hpp"

namespace esk {

// The commands a process manager's handler sends for one event, in order. The runtime sends
// them once the handler returns (see process_manager).
class outgoing_commands {
 public:
  // One command with its C++ type erased.
  struct erased_command {
    std::type_index type;
    std::shared_ptr<const void> command;
  };

  // Queues `command` (of a command type registered with an aggregate) to be sent after the
  // handler returns. Never blocks; never fails (an unregistered type fails the event when sent).
  template <class Command>
  void send(Command command) {
    commands_.push_back(
        {std::type_index(typeid(Command)), std::make_shared<const Command>(std::move(command))});
  }

  const std::vector<erased_command>& commands() const { return commands_; }

 private:
  std::vector<erased_command> commands_;
};

// The handlers of one process manager, by event type. Copyable; runtime::add_process_manager
// takes a copy.
//
// The runtime runs it like a typed projection (on a thread of its own, events in position
// order, after its checkpoint) and, after each handler, sends the commands it queued and waits
// until every one is answered before the event counts as applied: so the checkpoint never
// passes an event whose commands might not be recorded. A command that fails with anything but
// `rejected` (conflict, store_unavailable, timeout, shutting_down, ...) fails the event like a
// throwing handler: projection_options::on_failure decides (retrying sends the same IDs, so
// nothing is applied twice). A rejected command is the target's answer: it is logged
// (runtime_options::log) and the process manager goes on.
class process_manager {
 public:
  using erased_handler =
      std::function<void(const void* event, const event_context& context, outgoing_commands&)>;

  // `name`: as projection::name() (logs, status, checkpoint); unique among the runtime's
  // projections and process managers.
  explicit process_manager(std::string name) : name_(std::move(name)) {}

  // Calls `handler(const Event&, const event_context&, esk::outgoing_commands&)` for every
  // committed event of type Event. REQUIRES: Event is registered with an aggregate. A second
  // on<Event> replaces the first. The handler must decide from the event alone (and state it
  // keeps itself), so that a replay sends the same commands in the same order.
  template <class Event, class Handler>
  process_manager& on(Handler handler) {
    handlers_[std::type_index(typeid(Event))] = [handler = std::move(handler)](
                                                    const void* event, const event_context& context,
                                                    outgoing_commands& out) {
      handler(*static_cast<const Event*>(event), context, out);
    };
    return *this;
  }

  const std::string& name() const { return name_; }

  // The handlers by event C++ type (for the runtime).
  const std::unordered_map<std::type_index, erased_handler>& handlers() const { return handlers_; }

 private:
  std::string name_;
  std::unordered_map<std::type_index, erased_handler> handlers_;
};

// The command ID a process manager gives the `index`th command (0-based) it sends for the
// event whose ID is `event_id`: "<event_id>/<index>". Never fails.
inline std::string derived_command_id(const std::string& event_id, std::size_t index) {
  return event_id + "/" + std::to_string(index);
}

}  // namespace esk
