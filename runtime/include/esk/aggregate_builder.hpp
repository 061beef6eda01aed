// esk/aggregate_builder.hpp — registers an aggregate type with its events and commands:
//
//   rt.aggregate<User>("User")
//       .event<UserCreated>("UserCreated")                     // User::apply(const UserCreated&)
//       .command<CreateUser>("CreateUser", &CreateUser::user_id);  // User::handle(const
//       CreateUser&) const
#pragma once

#include <memory>
#include <string>
#include <typeindex>
#include <utility>

#include "esk/detail/typed_aggregate.hpp"
#include "esk/json_codec.hpp"
#include "esk/registry.hpp"

namespace esk {

// Collects the event and command types of aggregate State. Obtained from runtime::aggregate.
// Registration is not thread-safe: finish it before sending commands.
template <class State>
class aggregate_builder {
 public:
  aggregate_builder(std::shared_ptr<detail::typed_aggregate_handlers<State>> handlers,
                    std::shared_ptr<const aggregate_model> model, event_registry& events,
                    command_registry& commands)
      : handlers_(std::move(handlers)),
        model_(std::move(model)),
        events_(events),
        commands_(commands) {}

  // Registers event type Event under `name` (the type stored with each event, so keep it
  // stable). REQUIRES: State has `void apply(const Event&)`; Boost.JSON can convert Event
  // (BOOST_DESCRIBE_STRUCT). Throws std::logic_error if `name` or Event is registered twice
  // differently.
  template <class Event>
  aggregate_builder& event(std::string name) {
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
    return *this;
  }

  // Registers command type Command under `name`, addressed to the State instance whose ID
  // is the command's `target_id` member. REQUIRES: State has
  // `esk::decision handle(const Command&) const`; Boost.JSON can convert Command.
  // Throws std::logic_error if `name` or Command is registered twice differently.
  template <class Command>
  aggregate_builder& command(std::string name, std::string Command::*target_id) {
    commands_.add(
        {name, typeid(Command), model_,
         [target_id](const void* value) { return static_cast<const Command*>(value)->*target_id; },
         [name](const boost::json::value& payload) -> result<std::shared_ptr<const void>> {
           auto decoded = decode_payload<Command>(payload, name, unknown_fields::reject);
           if (!decoded) return decoded.error_value();
           return std::shared_ptr<const void>(std::make_shared<const Command>(std::move(*decoded)));
         }},
        "command");
    handlers_->deciders[name] = [](const State& state, const void* value) {
      return state.handle(*static_cast<const Command*>(value));
    };
    return *this;
  }

 private:
  std::shared_ptr<detail::typed_aggregate_handlers<State>> handlers_;
  std::shared_ptr<const aggregate_model> model_;
  event_registry& events_;
  command_registry& commands_;
};

}  // namespace esk
