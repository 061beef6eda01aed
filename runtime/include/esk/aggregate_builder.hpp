// esk/aggregate_builder.hpp — registers an aggregate type with its events and commands:
//
//   rt.aggregate<User>("User")
//       .event<UserCreated>("UserCreated")  // User::apply(const UserCreated&)
//       .event<UserRenamed>("UserRenamed", esk::schema_version{2})  // its shape changed once
//       .upcast("UserRenamed", 1, [](boost::json::object v1) { ...; return v1; })  // v1 -> v2
//       .command<CreateUser>("CreateUser", &CreateUser::user_id)  // User::handle(...) const
//       .snapshots(esk::snapshot_policy::every(1000));  // optional: rehydrate from snapshots
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeindex>
#include <utility>
#include <vector>

#include "esk/detail/event_round_trip_check.hpp"
#include "esk/detail/typed_aggregate.hpp"
#include "esk/json_codec.hpp"
#include "esk/json_round_trip.hpp"
#include "esk/registry.hpp"
#include "esk/upcasting.hpp"

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
  // stable) at schema version `version` (esk/upcasting.hpp): events are written at that
  // version, and stored events of older versions are read through the upcasters registered
  // with upcast(). REQUIRES: State has `void apply(const Event&)`, a pure function of the
  // state and the event (it also runs on copies of the state when ESK_CHECK_JSON_ROUND_TRIP is
  // on); Event has a JSON mapping (BOOST_DESCRIBE_STRUCT; checked at compile time). Throws
  // std::logic_error if `name` or Event is registered twice differently, or if `name` holds
  // '@' (the stored name's version mark) or the version is 0.
  template <class Event>
  aggregate_builder& event(std::string name, schema_version version = {}) {
    static_assert(
        boost::json::has_value_from<Event>::value && boost::json::has_value_to<Event>::value,
        "esk::aggregate_builder::event<Event>: Event has no JSON mapping; add "
        "BOOST_DESCRIBE_STRUCT(Event, (), (its members...)) after its definition");
    if constexpr (boost::json::has_value_from<Event>::value &&
                  boost::json::has_value_to<Event>::value)
      add_event<Event>(std::move(name), version.value);
    return *this;
  }

  // Registers how stored events of type `type` at schema version `from_version` are read now.
  // `convert` takes the stored payload (a boost::json::object) and returns either
  // - a boost::json::object: the payload at version from_version + 1 of the same type (a
  //   reshape: add, rename or drop members), or
  // - an esk::upcast_event {type, version, payload}: the event it becomes, of another type
  //   for a rename (`type` need not be registered any more), or
  // - a std::vector<esk::upcast_event>: several events (a split) or none (a drop).
  // Whatever it yields is upcast again until it reaches a registered type at its current
  // version, so v1 -> v2 -> v3 chains. Each part of a split keeps the stored event's stream,
  // version, position and metadata, with event ID "<stored ID>/<part number>": the stream
  // version counts stored events, so expected versions and projection checkpoints see one
  // event (a checkpoint moves past all of its parts at once). `convert` runs on every read of
  // such an event, from any thread: make it a pure function of its input. If it throws, that
  // read fails with bad_payload. Throws std::logic_error for a second upcaster of the same
  // type and version, or one starting at or past the type's registered version.
  template <class Convert>
  aggregate_builder& upcast(std::string type, std::uint32_t from_version, Convert convert) {
    using yielded = std::invoke_result_t<Convert&, boost::json::object>;
    static_assert(std::is_convertible_v<yielded, boost::json::object> ||
                      std::is_convertible_v<yielded, upcast_event> ||
                      std::is_convertible_v<yielded, std::vector<upcast_event>>,
                  "esk::aggregate_builder::upcast: the function must return a "
                  "boost::json::object, an esk::upcast_event or a "
                  "std::vector<esk::upcast_event>");
    upcaster erased;
    if constexpr (std::is_convertible_v<yielded, boost::json::object>) {
      erased = [type, from_version, convert](boost::json::object payload) {
        return std::vector<upcast_event>{
            upcast_event{type, from_version + 1, convert(std::move(payload))}};
      };
    } else if constexpr (std::is_convertible_v<yielded, upcast_event>) {
      erased = [convert](boost::json::object payload) {
        return std::vector<upcast_event>{convert(std::move(payload))};
      };
    } else {
      erased = [convert](boost::json::object payload) -> std::vector<upcast_event> {
        return convert(std::move(payload));
      };
    }
    events_.add_upcaster(std::move(type), from_version, std::move(erased));
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
  void add_event(std::string name, std::uint32_t version) {
    if (name.find('@') != std::string::npos)
      throw std::logic_error("event type name '" + name +
                             "' holds '@', which marks the schema version in stored names");
    if (version == 0)
      throw std::logic_error("event type '" + name + "' registered at schema version 0");
    events_.add(
        {name, typeid(Event), handlers_->type_name,
         [name](const boost::json::value& payload) -> result<std::shared_ptr<const void>> {
           auto decoded = decode_payload<Event>(payload, name, unknown_fields::ignore);
           if (!decoded) return decoded.error_value();
           return std::shared_ptr<const void>(std::make_shared<const Event>(std::move(*decoded)));
         },
         [](const void* value) { return encode_payload(*static_cast<const Event*>(value)); },
         version},
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
