// esk/aggregate_builder.hpp — registers an aggregate type with its events and commands:
//
//   rt.aggregate<User>("User")
//       .event<UserCreated>("UserCreated")  // User::apply(const UserCreated&)
//       .command<CreateUser>("CreateUser", &CreateUser::user_id)  // User::handle(...) const
//       .snapshots(esk::snapshot_policy::every(1000));  // optional: rehydrate from snapshots
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <typeindex>
#include <utility>

#include "esk/detail/event_round_trip_check.hpp"
#include "esk/detail/typed_aggregate.hpp"
#include "esk/json_codec.hpp"
#include "esk/json_round_trip.hpp"
#include "esk/registry.hpp"

namespace esk {

// Collects the event and command types of aggregate State. Obtained from runtime::aggregate.
// Registration is not thread-safe: finish it before sending commands.
template <class State>
class aggregate_builder {
 public:
  aggregate_builder(std::shared_ptr<detail::typed_aggregate_handlers<State>> handlers,
                    std::shared_ptr<aggregate_model> model, event_registry& events,
                    command_registry& commands)
      : handlers_(std::move(handlers)),
        model_(std::move(model)),
        events_(events),
        commands_(commands) {}

  // Registers event type Event under `name` (the type stored with each event, so keep it
  // stable). REQUIRES: State has `void apply(const Event&)`, a pure function of the state and
  // the event (it also runs on copies of the state when ESK_CHECK_JSON_ROUND_TRIP is on);
  // Event has a JSON mapping (BOOST_DESCRIBE_STRUCT; checked at compile time). Throws
  // std::logic_error if `name` or Event is registered twice differently.
  template <class Event>
  aggregate_builder& event(std::string name) {
    static_assert(
        boost::json::has_value_from<Event>::value && boost::json::has_value_to<Event>::value,
        "esk::aggregate_builder::event<Event>: Event has no JSON mapping; add "
        "BOOST_DESCRIBE_STRUCT(Event, (), (its members...)) after its definition");
    if constexpr (boost::json::has_value_from<Event>::value &&
                  boost::json::has_value_to<Event>::value)
      add_event<Event>(std::move(name));
    return *this;
  }

  // Registers command type Command under `name`, addressed to the State instance whose ID
  // is the command's `target_id` member. REQUIRES: State has
  // `esk::decision handle(const Command&) const`, or, to see the aggregate's ID, version and
  // the command's IDs, `esk::decision handle(const Command&, const esk::command_context&)
  // const` (esk/actors/aggregate_model.hpp); Command has a JSON mapping
  // (BOOST_DESCRIBE_STRUCT; checked at compile time). Throws std::logic_error if `name` or
  // Command is registered twice differently.
  template <class Command>
  aggregate_builder& command(std::string name, std::string Command::*target_id) {
    static_assert(boost::json::has_value_to<Command>::value,
                  "esk::aggregate_builder::command<Command>: Command has no JSON mapping; add "
                  "BOOST_DESCRIBE_STRUCT(Command, (), (its members...)) after its definition");
    if constexpr (boost::json::has_value_to<Command>::value)
      add_command<Command>(std::move(name), target_id);
    return *this;
  }

  // Saves the state as a snapshot as `policy` says (e.g. snapshot_policy::every(1000) or
  // .schema(2) after a change of the state's layout), so rehydration starts at the newest
  // snapshot of the policy's schema version and applies only the later events. Snapshots are
  // written after the command that made one due was acknowledged, by a separate actor; a
  // failed write is logged (runtime_options::log) and counted, never fails a command.
  // REQUIRES: State has a JSON mapping (BOOST_DESCRIBE_STRUCT; checked at compile time) that
  // round-trips the whole state: a member it leaves out is lost after a restart.
  aggregate_builder& snapshots(snapshot_policy policy) {
    static_assert(
        boost::json::has_value_from<State>::value && boost::json::has_value_to<State>::value,
        "esk::aggregate_builder::snapshots: State has no JSON mapping; add "
        "BOOST_DESCRIBE_STRUCT(State, (), (its members...)) after its definition");
    model_->snapshots = policy;
    return *this;
  }

 private:
  template <class Event>
  void add_event(std::string name) {
    events_.add(
        {name, typeid(Event), handlers_->type_name,
         [name](const boost::json::value& payload) -> result<std::shared_ptr<const void>> {
           auto decoded = decode_payload<Event>(payload, name, unknown_fields::ignore);
           if (!decoded) return decoded.error_value();
           return std::shared_ptr<const void>(std::make_shared<const Event>(std::move(*decoded)));
         },
         [](const void* value) { return encode_payload(*static_cast<const Event*>(value)); }},
        "event");
    handlers_->appliers[name] = [](State& state, const void* value) {
      state.apply(*static_cast<const Event*>(value));
    };
    if constexpr (ESK_CHECK_JSON_ROUND_TRIP)
      handlers_->round_trip_checks[name] = [name](std::optional<State>& running, const void* value,
                                                  const std::string& payload) {
        return detail::check_event_round_trip(running, *static_cast<const Event*>(value), payload,
                                              name);
      };
  }

  template <class Command>
  void add_command(std::string name, std::string Command::*target_id) {
    commands_.add(
        {name, typeid(Command), model_,
         [target_id](const void* value) { return static_cast<const Command*>(value)->*target_id; },
         [name](const boost::json::value& payload) -> result<std::shared_ptr<const void>> {
           auto decoded = decode_payload<Command>(payload, name, unknown_fields::reject);
           if (!decoded) return decoded.error_value();
           return std::shared_ptr<const void>(std::make_shared<const Command>(std::move(*decoded)));
         }},
        "command");
    handlers_->deciders[name] = [](const State& state, const void* value,
                                   const command_context& context) -> decision {
      const auto& command = *static_cast<const Command*>(value);
      if constexpr (detail::handles_with_context<State, Command>::value)
        return state.handle(command, context);
      else
        return state.handle(command);
    };
  }

  std::shared_ptr<detail::typed_aggregate_handlers<State>> handlers_;
  std::shared_ptr<aggregate_model> model_;
  event_registry& events_;
  command_registry& commands_;
};

}  // namespace esk
