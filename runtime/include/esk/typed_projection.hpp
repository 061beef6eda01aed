// esk/typed_projection.hpp — a projection written as one handler per registered event type; the
// runtime decodes each payload once, with the event registry, before calling the handler:
//
//   esk::typed_projection by_email("users_by_email");
//   by_email.on<UserCreated>([&](const UserCreated& created, const esk::event_context& at) {
//     index[created.email] = created.user_id;  // at.position(), at.stream(), at.metadata()...
//   });
//   rt.add_projection(by_email);  // optionally with projection_options (checkpoints, policy)
#pragma once

#include <functional>
#include <string>
#include <typeindex>
#include <unordered_map>
#include <utility>

#include "esk/projection.hpp"

namespace esk {

// The handlers of one projection, by event type. Copyable; runtime::add_projection takes a copy.
class typed_projection {
 public:
  // A handler with its event type erased: the event is the registered C++ type.
  using erased_handler = std::function<void(const void* event, const event_context& context)>;

  // `name`: as projection::name() (logs, status, checkpoint); unique per runtime.
  explicit typed_projection(std::string name) : name_(std::move(name)) {}

  // Calls `handler(const Event&, const event_context&)` for every committed event of type Event,
  // in position order. Events of types without a handler are passed over without decoding.
  // REQUIRES: Event is registered with an aggregate (runtime::add_projection checks it). A
  // second on<Event> replaces the first. What the handler throws fails the event: see
  // failure_policy.
  template <class Event, class Handler>
  typed_projection& on(Handler handler) {
    handlers_[std::type_index(typeid(Event))] =
        [handler = std::move(handler)](const void* event, const event_context& context) {
          handler(*static_cast<const Event*>(event), context);
        };
    return *this;
  }

  // As on<Event>, with the event type given at run time (how a process manager is bound).
  // REQUIRES: as on<Event>; `handler` gets a pointer to an event of C++ type `event_type`.
  typed_projection& on_erased(std::type_index event_type, erased_handler handler) {
    handlers_[event_type] = std::move(handler);
    return *this;
  }

  // Calls `clear()` before a rebuild in place (runtime::rebuild_projection) applies the log
  // again: it must empty the read model. Without it, only a SQLite read model can be rebuilt.
  typed_projection& on_reset(std::function<void()> clear) {
    reset_ = std::move(clear);
    return *this;
  }

  const std::string& name() const { return name_; }

  // What on_reset set (empty when nothing), for the runtime.
  const std::function<void()>& reset_handler() const { return reset_; }

  // The handlers by event C++ type (for the runtime).
  const std::unordered_map<std::type_index, erased_handler>& handlers() const { return handlers_; }

 private:
  std::string name_;
  std::unordered_map<std::type_index, erased_handler> handlers_;
  std::function<void()> reset_;
};

}  // namespace esk
