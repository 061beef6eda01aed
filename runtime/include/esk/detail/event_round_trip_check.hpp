// esk/detail/event_round_trip_check.hpp — the runtime's check that an event a command decided
// survives its JSON round trip before it is stored (ESK_CHECK_JSON_ROUND_TRIP; the checks are
// described in esk/json_round_trip.hpp). Internal to the runtime.
#pragma once

#include <boost/json/value_from.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <typeinfo>

#include "esk/json_codec.hpp"
#include "esk/json_round_trip.hpp"
#include "esk/result.hpp"

namespace esk::detail {

// Check (d): how `applied_as_decoded` differs from `applied_as_typed`, by State's operator==
// or else by their JSON; empty when they agree or State has neither.
template <class State>
std::string state_difference(const State& applied_as_typed, const State& applied_as_decoded) {
  if constexpr (has_equality<State>::value) {
    if (applied_as_decoded == applied_as_typed) return {};
    return "the state it leads to when decoded from its JSON is not == the state it leads to "
           "as decided";
  } else if constexpr (boost::json::has_value_from<State>::value) {
    const std::string as_typed = encode_payload(applied_as_typed);
    const std::string as_decoded = encode_payload(applied_as_decoded);
    if (as_typed == as_decoded) return {};
    return "decoded from its JSON it leads to the state " + as_decoded + " instead of " + as_typed;
  } else {
    return {};
  }
}

// Checks (a), (b) and (d) for `event`, which a command decided on `running` (the aggregate's
// state with the command's earlier events applied) and which would be stored as `payload` under
// `event_name`; then applies `event` to `running`, for the next event's check. Resets `running`
// when the user's apply throws: (d) is then skipped for this and later events, and the throw
// meets the runtime's usual handling when the event is applied after the commit. Returns
// handler_failed naming the event (registered and C++ name) and what is lost. User code
// (State::apply) runs on copies of the state only.
template <class State, class Event>
status check_event_round_trip(std::optional<State>& running, const Event& event,
                              const std::string& payload, const std::string& event_name) {
  auto decoded = decode_payload_text<Event>(payload, event_name, unknown_fields::ignore);
  if (!decoded)
    return round_trip_error(event_name, typeid(Event),
                            "its JSON does not decode (" + decoded.error_value().message + ")");
  std::string findings = value_loss(event, *decoded);
  if constexpr (std::is_copy_constructible_v<State>) {
    if (running) {
      try {
        State applied_as_decoded = *running;
        applied_as_decoded.apply(*decoded);
        running->apply(event);
        std::string difference = state_difference(*running, applied_as_decoded);
        if (!difference.empty()) findings += (findings.empty() ? "" : "; ") + difference;
      } catch (...) {
        running.reset();
      }
    }
  }
  if (!findings.empty()) return round_trip_error(event_name, typeid(Event), findings);
  return {};
}

}  // namespace esk::detail
