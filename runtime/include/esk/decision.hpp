// esk/decision.hpp — what a command handler returns: the events to record, or a rejection.
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <typeindex>
#include <utility>
#include <vector>

namespace esk {

// One event a handler emitted, typed, not yet encoded.
struct emitted_event {
  std::type_index type;
  std::shared_ptr<const void> value;
};

// The outcome of a command handler. Make one with esk::emit(...) or esk::reject(...).
class decision {
 public:
  // No events and no rejection: the command was accepted but changed nothing.
  decision() = default;

  // True when the handler refused the command; reason() says why.
  bool rejected() const noexcept { return rejected_; }
  const std::string& reason() const noexcept { return reason_; }
  // The rejection's machine-readable code ("user_exists"); empty when it has none.
  const std::string& code() const noexcept { return code_; }

  // The emitted events, in order. Empty when rejected.
  const std::vector<emitted_event>& events() const noexcept { return events_; }

  // Adds one more event (of a type registered with the aggregate).
  template <class Event>
  decision& and_emit(Event event) {
    using stored = std::decay_t<Event>;
    events_.push_back({typeid(stored), std::make_shared<const stored>(std::move(event))});
    return *this;
  }

  // A rejection with a human-readable reason ("user 42 already exists").
  static decision reject(std::string reason) {
    decision refused;
    refused.rejected_ = true;
    refused.reason_ = std::move(reason);
    return refused;
  }

  // A rejection with a machine-readable `code` ("user_exists": stable, for callers to branch
  // on) and a human-readable reason. The code reaches the caller as esk::error::code.
  static decision reject(std::string code, std::string reason) {
    decision refused = reject(std::move(reason));
    refused.code_ = std::move(code);
    return refused;
  }

 private:
  bool rejected_ = false;
  std::string reason_;
  std::string code_;
  std::vector<emitted_event> events_;
};

// A decision that records `events`, in order: `return esk::emit(UserCreated{...});`
template <class... Events>
decision emit(Events... events) {
  decision accepted;
  (accepted.and_emit(std::move(events)), ...);
  return accepted;
}

// A decision that refuses the command: `return esk::reject("user 42 already exists");`
inline decision reject(std::string reason) { return decision::reject(std::move(reason)); }

// A decision that refuses the command with a machine-readable code the caller can branch on:
// `return esk::reject("user_exists", "user 42 already exists");` (error::code, the HTTP error
// body's "code", the CLI's "rejected [user_exists]: ...").
inline decision reject(std::string code, std::string reason) {
  return decision::reject(std::move(code), std::move(reason));
}

}  // namespace esk
