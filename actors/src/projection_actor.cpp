#include "projection_actor.hpp"

#include <cstdio>
#include <exception>
#include <utility>

#include "messages.hpp"

namespace esk::actors {
namespace {

constexpr std::size_t catch_up_page = 1024;

void apply_one(projection_actor_state& state, const recorded_event& event) {
  if (state.failure || event.position < state.next_position) return;  // failed, or seen
  try {
    state.user_projection->apply(event);
    state.next_position = event.position + 1;
  } catch (...) {
    state.failure = error{error_kind::handler_failed,
                          "projection '" + state.user_projection->name() + "' threw at position " +
                              std::to_string(event.position) + " (" + event.type +
                              "): " + describe_current_exception()};
    std::fprintf(stderr, "esk: %s; it stops here\n", state.failure->message.c_str());
  }
}

// Applies stored events until `last` (inclusive) is reached or the log ends.
status catch_up(projection_actor_state& state, std::uint64_t last) {
  while (!state.failure && state.next_position <= last) {
    auto page = state.store->read_all(state.next_position, catch_up_page);
    if (!page) return page.error_value();
    if (page->empty()) break;
    for (const auto& event : *page) apply_one(state, event);
  }
  if (state.failure) return *state.failure;
  return {};
}

}  // namespace

caf::behavior projection_actor(caf::stateful_actor<projection_actor_state>* self,
                               std::shared_ptr<projection> user_projection,
                               std::shared_ptr<event_store> store) {
  self->state.user_projection = std::move(user_projection);
  self->state.store = std::move(store);
  return {
      [=](committed_events& batch) {
        auto& state = self->state;
        for (const auto& event : *batch) {
          if (event.position > state.next_position) (void)catch_up(state, event.position - 1);
          apply_one(state, event);
        }
      },
      [=](catch_up_atom) {
        auto& state = self->state;
        auto last = state.store->last_position();
        if (!last) {
          std::fprintf(stderr, "esk: projection '%s' cannot read the log: %s\n",
                       state.user_projection->name().c_str(), last.error_value().message.c_str());
          return;
        }
        (void)catch_up(state, *last);
      },
      [=](sync_message& request) { request->done(catch_up(self->state, request->position)); },
  };
}

}  // namespace esk::actors
