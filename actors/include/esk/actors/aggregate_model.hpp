// esk/actors/aggregate_model.hpp — what an aggregate actor runs, free of CAF and of user types.
//
// The runtime layer turns a user's State type into an aggregate_model (type erasure); the
// actors layer spawns one actor per aggregate ID and drives its aggregate_instance.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "esk/actors/snapshot_policy.hpp"
#include "esk/result.hpp"
#include "esk/store/recorded_event.hpp"

namespace esk {

// A command on its way to an aggregate: its registered type name, the typed value (owned,
// immutable, of the C++ type registered under that name), the IDs that trace it, and the
// stream version its sender decided on, if it named one.
struct command_value {
  std::string type;
  std::shared_ptr<const void> value;
  std::string command_id;
  // Empty means the command's own ID (it starts its conversation, nothing caused it): the
  // handler's command_context and the recorded events' metadata then carry command_id.
  std::string correlation_id;
  std::string causation_id;
  std::optional<std::uint64_t> expected_version{};
};

// What a command handler may ask for besides the command (declare it as
// `esk::decision handle(const Command&, const esk::command_context&) const`): the aggregate's
// ID, the version of its stream the state reflects (0 = no events yet), and the command's
// IDs. Valid during the call only.
struct command_context {
  std::string_view aggregate_id;
  std::uint64_t version = 0;
  std::string_view command_id;
  std::string_view correlation_id;
  std::string_view causation_id;
};

// An event a command handler decided on, before the store recorded it.
struct decided_event {
  std::string type;                   // registered event type name
  std::string payload;                // the event as a JSON object, serialized
  std::shared_ptr<const void> value;  // the typed event, applied after the store acknowledged
};

// One aggregate instance's state with its handlers. Used by one actor at a time.
class aggregate_instance {
 public:
  virtual ~aggregate_instance() = default;

  // Runs the command handler registered for command.type against the current state and
  // appends the decided events (possibly none) to `decided` (the caller's vector, so that it
  // can reuse its memory from command to command). Errors: rejected (with the handler's
  // reason), unknown_command, unknown_event (the handler emitted an unregistered type); then
  // what `decided` holds is unspecified. Exceptions thrown by the user's handler propagate to
  // the caller.
  virtual status decide(const command_value& command, const command_context& context,
                        std::vector<decided_event>& decided) const = 0;

  // Applies an event this instance decided, after the store recorded it. May throw.
  virtual void apply(const decided_event& event) = 0;

  // Applies a stored event while rehydrating. Errors: unknown_event, bad_payload. May throw.
  virtual status apply(const recorded_event& event) = 0;

  // The user's state object (the registered State type). Valid until the next apply.
  virtual const void* state() const = 0;

  // The state as a JSON object, serialized. Errors: bad_payload if State has no JSON mapping.
  virtual result<std::string> state_json() const = 0;

  // Replaces the state with the one `json` describes (a snapshot's state_json). Strict: an
  // unknown or missing member is bad_payload, as is a State without a JSON mapping. On error
  // the state is unspecified: discard the instance.
  virtual status load_state_json(std::string_view json) = 0;
};

// A registered aggregate type: its name, how to make a fresh (empty) instance, when its
// instances save snapshots (default: never), and how a command's answer reaches the current
// event schema.
struct aggregate_model {
  std::string type_name;
  std::function<std::unique_ptr<aggregate_instance>()> make_instance;
  snapshot_policy snapshots{};
  // Puts the events a command recorded into the current schema just before its callback gets
  // them (the runtime renames versioned stored type names and upcasts an older answer replayed
  // by command ID), on the aggregate's actor thread. It must leave the events as stored when it
  // cannot convert them (they are recorded whatever happens); if it throws, the callback gets
  // them as they were before the call. Empty (the default): the callback gets them as stored.
  std::function<void(std::vector<recorded_event>&)> answer_in_current_schema;
};

// What a command yields: the recorded events (empty when the handler decided none), or an error.
using command_result = result<std::vector<recorded_event>>;

// Called exactly once with the outcome of a command, on an actor thread. Must not block.
using command_callback = std::function<void(command_result)>;

// A hydrated aggregate instance as its actor sees it between two commands.
struct instance_view {
  const aggregate_instance* instance;  // never null
  std::uint64_t version;               // of the stream's last applied event; 0 = no events
};

// Called inside the aggregate's actor with its hydrated instance, or with the error that
// prevented hydration (store_unavailable, unknown_event, bad_payload). Must not block.
using instance_visitor = std::function<void(result<instance_view>)>;

}  // namespace esk
