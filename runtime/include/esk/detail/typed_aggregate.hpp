// esk/detail/typed_aggregate.hpp — a user's State type as an aggregate_instance.
// Internal to the runtime; users write State types and use esk::aggregate_builder.
#pragma once

#include <boost/json/value_from.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "esk/actors/aggregate_model.hpp"
#include "esk/decision.hpp"
#include "esk/json_codec.hpp"
#include "esk/registry.hpp"
#include "esk/type_name.hpp"
#include "esk/upcasting.hpp"

namespace esk::detail {

// Whether State declares `decision handle(const Command&, const command_context&) const`.
template <class State, class Command, class = void>
struct handles_with_context : std::false_type {};
template <class State, class Command>
struct handles_with_context<
    State, Command,
    std::void_t<decltype(std::declval<const State&>().handle(
        std::declval<const Command&>(), std::declval<const command_context&>()))>>
    : std::true_type {};

// What the builder registered for one State type; shared by all its instances.
template <class State>
struct typed_aggregate_handlers {
  std::string type_name;
  std::unordered_map<std::string, std::function<void(State&, const void*)>> appliers;
  std::unordered_map<std::string,
                     std::function<decision(const State&, const void*, const command_context&)>>
      deciders;
  // Per event type, its JSON round trip check (detail::check_event_round_trip); registered
  // only when ESK_CHECK_JSON_ROUND_TRIP is on, so release builds only test this map for empty.
  std::unordered_map<std::string,
                     std::function<status(std::optional<State>& running, const void* event,
                                          const std::string& payload)>>
      round_trip_checks;
  const event_registry* events = nullptr;
};

template <class State>
class typed_aggregate final : public aggregate_instance {
 public:
  explicit typed_aggregate(std::shared_ptr<const typed_aggregate_handlers<State>> handlers)
      : handlers_(std::move(handlers)) {}

  status decide(const command_value& command, const command_context& context,
                std::vector<decided_event>& decided) const override {
    auto decider = handlers_->deciders.find(command.type);
    if (decider == handlers_->deciders.end())
      return error{error_kind::unknown_command,
                   handlers_->type_name + " has no handler for command '" + command.type + "'"};
    decision outcome = decider->second(state_, command.value.get(), context);
    if (outcome.rejected())
      return error{error_kind::rejected, outcome.reason(), std::nullopt, outcome.code()};
    decided.reserve(decided.size() + outcome.events().size());
    // The state the round trip checks apply the events to, one after the other.
    std::optional<State> running;
    if constexpr (std::is_copy_constructible_v<State>)
      if (!handlers_->round_trip_checks.empty()) running.emplace(state_);
    for (const auto& emitted : outcome.events()) {
      const auto* entry = handlers_->events->find(emitted.type);
      if (!entry || !handlers_->appliers.count(entry->name))
        return error{error_kind::unknown_event,
                     "the handler emitted an event type (" + readable_type_name(emitted.type) +
                         ") not registered with " + handlers_->type_name};
      std::string payload = entry->encode(emitted.value.get());
      auto check = handlers_->round_trip_checks.find(entry->name);
      if (check != handlers_->round_trip_checks.end())
        if (auto checked = check->second(running, emitted.value.get(), payload); !checked)
          return checked.error_value();
      decided.push_back({stored_type_name(entry->name, entry->schema_version), std::move(payload),
                         emitted.value});
    }
    return {};
  }

  void apply(const decided_event& event) override {
    // decided_event::type is the stored name, which carries the schema version after 1 (only
    // then is a key string built: this runs for every event a command decides).
    const std::string_view name = parse_stored_type(event.type).name;
    const auto& applier = name.size() == event.type.size()
                              ? handlers_->appliers.at(event.type)
                              : handlers_->appliers.at(std::string(name));
    applier(state_, event.value.get());
  }

  status apply(const recorded_event& event) override {
    if (!handlers_->events->needs_upcast(event.type))
      return apply_current(event.type, event.payload);
    if (const auto* current_type = handlers_->events->at_current_version(event.type))
      return apply_current(current_type->name, event.payload);  // only the stored name differs
    auto current = handlers_->events->upcast(event);
    if (!current) return current.error_value();
    for (const auto& part : *current)
      if (auto applied = apply_current(part.type, part.payload); !applied) return applied;
    return {};
  }

  const void* state() const override { return &state_; }

  result<std::string> state_json() const override {
    if constexpr (boost::json::has_value_from<State>::value) {
      return encode_payload(state_);
    } else {
      return error{error_kind::bad_payload,
                   handlers_->type_name +
                       " state has no JSON mapping (describe it with BOOST_DESCRIBE_STRUCT)"};
    }
  }

  status load_state_json(std::string_view json) override {
    if constexpr (boost::json::has_value_to<State>::value) {
      auto decoded = decode_payload_text<State>(json, handlers_->type_name + " snapshot",
                                                unknown_fields::reject);
      if (!decoded) return decoded.error_value();
      state_ = std::move(*decoded);
      return {};
    } else {
      return error{error_kind::bad_payload,
                   handlers_->type_name +
                       " state has no JSON mapping (describe it with BOOST_DESCRIBE_STRUCT)"};
    }
  }

 private:
  // Applies `event`, of a registered type at its current schema version.
  status apply_current(const std::string& type, const std::string& payload) {
    auto applier = handlers_->appliers.find(type);
    if (applier == handlers_->appliers.end())
      return error{error_kind::unknown_event,
                   "event type '" + type + "' is not registered with " + handlers_->type_name};
    auto decoded = handlers_->events->decode(type, payload);
    if (!decoded) return decoded.error_value();
    applier->second(state_, decoded->get());
    return {};
  }

  std::shared_ptr<const typed_aggregate_handlers<State>> handlers_;
  State state_{};
};

}  // namespace esk::detail
