// esk/testing.hpp — given/when/then specs for aggregates, for GoogleTest.
//
// On the aggregate alone (no actors, no store): the State's own apply and handle functions.
//
//   esk::testing::aggregate_spec<User> spec{"42"};
//   spec.given(UserCreated{"42", "Ada", "ada@x.org"}).when(ChangeEmail{"42", "a@x.org"});
//   EXPECT_TRUE(spec.then(UserEmailChanged{"42", "a@x.org"}));
//   EXPECT_TRUE(spec.when(ChangeEmail{"42", "a@x.org"}).then_rejected("unchanged"));
//
// On a runtime with the in-memory store (actors, registries, JSON as in production):
//
//   esk::testing::runtime_spec app{[](esk::runtime& rt) { register_user(rt); }};
//   app.given("42", UserCreated{"42", "Ada", "ada@x.org"}).when(ChangeEmail{"42", "a@x.org"});
//   EXPECT_TRUE(app.then(UserEmailChanged{"42", "a@x.org"}));
//
// Both check on the way that every event, command and state they see comes back unchanged
// from its JSON (esk::check_json_round_trip): a member left out of BOOST_DESCRIBE_STRUCT fails
// the spec, naming the type and the member, although the live state would look right.
// then...() return a ::testing::AssertionResult whose message says what differed.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "esk/decision.hpp"
#include "esk/detail/typed_aggregate.hpp"
#include "esk/identifiers.hpp"
#include "esk/json_round_trip.hpp"
#include "esk/runtime.hpp"
#include "esk/store/memory_store.hpp"
#include "esk/type_name.hpp"

namespace esk::testing {
namespace detail {

template <class T>
std::string json_of(const T& value) {
  return boost::json::serialize(boost::json::value_from(value));
}

// Whether State has a JSON mapping (a state without one is not round-trip checked).
template <class State>
constexpr bool has_json_mapping =
    boost::json::has_value_from<State>::value&& boost::json::has_value_to<State>::value;

// Adds "what: <problem>" to `problems` when `sample` does not survive its JSON round trip.
template <class T>
void check_round_trip(const T& sample, const std::string& what,
                      std::vector<std::string>& problems) {
  if (auto checked = check_json_round_trip(sample); !checked)
    problems.push_back(what + ": " + checked.error_value().message);
}

inline ::testing::AssertionResult failed_with_problems(const std::vector<std::string>& problems) {
  auto failure = ::testing::AssertionFailure();
  for (const auto& problem : problems) failure << problem << "\n";
  return failure;
}

}  // namespace detail

// A spec of aggregate State on its own: given events applied to a fresh State, when a command
// handled by it, then the events it decided (or its rejection). One `when` per spec; `given`
// before it. Handlers that take an esk::command_context see `aggregate_id` and the number of
// given events as the version. Not thread-safe (a test's local).
template <class State>
class aggregate_spec {
 public:
  explicit aggregate_spec(std::string aggregate_id = "spec")
      : aggregate_id_(std::move(aggregate_id)) {}

  // Applies `events` to the state, in order (each round-trip checked first).
  template <class... Events>
  aggregate_spec& given(Events... events) {
    (given_one(std::move(events)), ...);
    return *this;
  }

  // Runs State::handle on the state as given (the command is round-trip checked first). What
  // the handler throws fails the spec, naming the exception.
  template <class Command>
  aggregate_spec& when(Command command) {
    detail::check_round_trip(command, "command " + readable_type_name(typeid(Command)), problems_);
    command_name_ = readable_type_name(typeid(Command));
    const command_context context{aggregate_id_, version_, "spec-command", "spec-command",
                                  "spec-command"};
    try {
      if constexpr (esk::detail::handles_with_context<State, Command>::value)
        decided_ = state_.handle(command, context);
      else
        decided_ = state_.handle(command);
    } catch (...) {
      problems_.push_back("the handler for " + command_name_ +
                          " threw: " + describe_current_exception());
    }
    return *this;
  }

  // Succeeds when the command was accepted with exactly `expected` (same types, same JSON, in
  // order; none = accepted without events), and the state after applying them still
  // round-trips through its JSON (when State has a mapping).
  template <class... Events>
  ::testing::AssertionResult then(const Events&... expected) const {
    auto problems = problems_;
    if (!decided_) {
      problems.push_back("no command was handled (call when() first)");
      return detail::failed_with_problems(problems);
    }
    if (decided_->rejected()) {
      problems.push_back(command_name_ + " was rejected: " + decided_->reason());
      return detail::failed_with_problems(problems);
    }
    const auto& emitted = decided_->events();
    if (emitted.size() != sizeof...(Events))
      problems.push_back(command_name_ + " decided " + std::to_string(emitted.size()) +
                         " events, expected " + std::to_string(sizeof...(Events)));
    State after = state_;
    std::size_t index = 0;
    (compare(emitted, index++, expected, after, problems), ...);
    if constexpr (detail::has_json_mapping<State>)
      detail::check_round_trip(after, "the state after " + command_name_, problems);
    if (!problems.empty()) return detail::failed_with_problems(problems);
    return ::testing::AssertionSuccess();
  }

  // Succeeds when the command was rejected with a reason containing `reason_part`.
  ::testing::AssertionResult then_rejected(std::string_view reason_part = {}) const {
    auto problems = problems_;
    if (!decided_)
      problems.push_back("no command was handled (call when() first)");
    else if (!decided_->rejected())
      problems.push_back(command_name_ + " was accepted with " +
                         std::to_string(decided_->events().size()) + " events, not rejected");
    else if (decided_->reason().find(reason_part) == std::string::npos)
      problems.push_back(command_name_ + " was rejected with \"" + decided_->reason() +
                         "\", which does not contain \"" + std::string(reason_part) + "\"");
    if (!problems.empty()) return detail::failed_with_problems(problems);
    return ::testing::AssertionSuccess();
  }

  // Succeeds when the command was rejected with code `code` (esk::reject(code, reason)) and a
  // reason containing `reason_part`.
  ::testing::AssertionResult then_rejected_with_code(std::string_view code,
                                                     std::string_view reason_part = {}) const {
    auto rejected = then_rejected(reason_part);
    if (!rejected) return rejected;
    if (decided_->code() != code)
      return detail::failed_with_problems({command_name_ + " was rejected with code \"" +
                                           decided_->code() + "\", expected \"" +
                                           std::string(code) + "\""});
    return ::testing::AssertionSuccess();
  }

  // The state as given (before the command's events).
  const State& state() const { return state_; }

 private:
  template <class Event>
  void given_one(Event event) {
    detail::check_round_trip(event, "given event " + readable_type_name(typeid(Event)), problems_);
    state_.apply(event);
    ++version_;
  }

  template <class Event>
  void compare(const std::vector<emitted_event>& emitted, std::size_t index, const Event& expected,
               State& after, std::vector<std::string>& problems) const {
    const std::string what = "event " + std::to_string(index + 1) + " of " + command_name_;
    detail::check_round_trip(expected, "expected " + what, problems);
    if (index >= emitted.size()) return;
    if (emitted[index].type != std::type_index(typeid(Event))) {
      problems.push_back(what + " is a " + readable_type_name(emitted[index].type) +
                         ", expected a " + readable_type_name(typeid(Event)));
      return;
    }
    const auto& actual = *static_cast<const Event*>(emitted[index].value.get());
    if (detail::json_of(actual) != detail::json_of(expected))
      problems.push_back(what + " is " + detail::json_of(actual) + ", expected " +
                         detail::json_of(expected));
    after.apply(actual);
  }

  std::string aggregate_id_;
  State state_{};
  std::uint64_t version_ = 0;
  std::optional<decision> decided_;
  std::string command_name_;
  std::vector<std::string> problems_;
};

// A spec on a runtime with the in-memory store: given events stored in aggregates' streams
// (encoded as the registry encodes them), when a command executed by the runtime (actors,
// JSON, rehydration as in production), then its recorded events or its error. Not
// thread-safe (a test's local).
class runtime_spec {
 public:
  // Starts a runtime on a fresh in-memory store and lets `register_app` register the
  // application's aggregates and projections.
  explicit runtime_spec(const std::function<void(runtime&)>& register_app,
                        runtime_options options = {})
      : store_(make_memory_store()), runtime_(store_, std::move(options)) {
    register_app(runtime_);
  }

  // Appends `events` (registered event types, round-trip checked) to the stream of the
  // aggregate `aggregate_id` they belong to, as one command would.
  template <class... Events>
  runtime_spec& given(const std::string& aggregate_id, const Events&... events) {
    (given_one(aggregate_id, events), ...);
    return *this;
  }

  // Executes `command` and keeps its outcome (the command is round-trip checked first).
  template <class Command>
  runtime_spec& when(Command command, command_options options = {}) {
    detail::check_round_trip(command, "command " + readable_type_name(typeid(Command)), problems_);
    command_name_ = readable_type_name(typeid(Command));
    outcome_ = runtime_.execute(std::move(command), std::move(options));
    return *this;
  }

  // Succeeds when the command recorded exactly `expected` (same registered names, same JSON, in
  // order; none = accepted without events).
  template <class... Events>
  ::testing::AssertionResult then(const Events&... expected) const {
    auto problems = problems_;
    if (!outcome_) {
      problems.push_back("no command was executed (call when() first)");
      return detail::failed_with_problems(problems);
    }
    if (!*outcome_) {
      problems.push_back(command_name_ + " failed: " + std::string(to_string(outcome_->kind())) +
                         ": " + outcome_->error_value().message);
      return detail::failed_with_problems(problems);
    }
    const auto& recorded = **outcome_;
    if (recorded.size() != sizeof...(Events))
      problems.push_back(command_name_ + " recorded " + std::to_string(recorded.size()) +
                         " events, expected " + std::to_string(sizeof...(Events)));
    std::size_t index = 0;
    (compare(recorded, index++, expected, problems), ...);
    if (!problems.empty()) return detail::failed_with_problems(problems);
    return ::testing::AssertionSuccess();
  }

  // Succeeds when the command failed with `kind` and a message containing `message_part`.
  ::testing::AssertionResult then_failed(error_kind kind,
                                         std::string_view message_part = {}) const {
    auto problems = problems_;
    if (!outcome_) {
      problems.push_back("no command was executed (call when() first)");
    } else if (*outcome_) {
      problems.push_back(command_name_ + " succeeded with " + std::to_string((*outcome_)->size()) +
                         " events, expected " + std::string(to_string(kind)));
    } else if (outcome_->kind() != kind ||
               outcome_->error_value().message.find(message_part) == std::string::npos) {
      problems.push_back(
          command_name_ + " failed with " + std::string(to_string(outcome_->kind())) + ": " +
          outcome_->error_value().message + "; expected " + std::string(to_string(kind)) +
          " containing \"" + std::string(message_part) + "\"");
    }
    if (!problems.empty()) return detail::failed_with_problems(problems);
    return ::testing::AssertionSuccess();
  }

  // Succeeds when the command was rejected with a reason containing `reason_part`.
  ::testing::AssertionResult then_rejected(std::string_view reason_part = {}) const {
    return then_failed(error_kind::rejected, reason_part);
  }

  // Succeeds when the command was rejected with code `code` (esk::error::code) and a reason
  // containing `reason_part`.
  ::testing::AssertionResult then_rejected_with_code(std::string_view code,
                                                     std::string_view reason_part = {}) const {
    auto rejected = then_rejected(reason_part);
    if (!rejected) return rejected;
    if (outcome_->error_value().code != code)
      return detail::failed_with_problems({command_name_ + " was rejected with code \"" +
                                           outcome_->error_value().code + "\", expected \"" +
                                           std::string(code) + "\""});
    return ::testing::AssertionSuccess();
  }

  // The runtime, for reads (state, projections) after the spec.
  runtime& app() { return runtime_; }

 private:
  template <class Event>
  void given_one(const std::string& aggregate_id, const Event& event) {
    detail::check_round_trip(event, "given event " + readable_type_name(typeid(Event)), problems_);
    const auto* entry = runtime_.events().find(typeid(Event));
    if (!entry) {
      problems_.push_back("given event " + readable_type_name(typeid(Event)) +
                          " is not registered");
      return;
    }
    const std::string stream = stream_name(entry->aggregate_type, aggregate_id);
    auto version = store_->stream_version(stream);
    append_request request{stream, version ? *version : 0, {}};
    request.events.push_back(
        {stored_type_name(entry->name, entry->schema_version),
         entry->encode(&event),
         {new_unique_id(), "spec-given", "spec-given", "spec-given", utc_timestamp_now()}});
    if (auto appended = store_->append(request); !appended)
      problems_.push_back("given event " + entry->name +
                          " could not be stored: " + appended.error_value().message);
  }

  template <class Event>
  void compare(const std::vector<recorded_event>& recorded, std::size_t index,
               const Event& expected, std::vector<std::string>& problems) const {
    const std::string what = "event " + std::to_string(index + 1) + " of " + command_name_;
    detail::check_round_trip(expected, "expected " + what, problems);
    const auto* entry = runtime_.events().find(typeid(Event));
    if (!entry) {
      problems.push_back("expected " + what + ", a " + readable_type_name(typeid(Event)) +
                         ", is not a registered event type");
      return;
    }
    if (index >= recorded.size()) return;
    const auto& actual = recorded[index];
    if (actual.type != entry->name) {
      problems.push_back(what + " is a " + actual.type + ", expected a " + entry->name);
      return;
    }
    boost::system::error_code parse_error;
    const auto actual_json = boost::json::parse(actual.payload, parse_error);
    if (parse_error || actual_json != boost::json::value_from(expected))
      problems.push_back(what + " is " + actual.payload + ", expected " +
                         detail::json_of(expected));
  }

  std::shared_ptr<event_store> store_;
  runtime runtime_;
  std::optional<command_result> outcome_;
  std::string command_name_;
  std::vector<std::string> problems_;
};

}  // namespace esk::testing
