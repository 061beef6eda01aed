#include "router_actor.hpp"

#include <algorithm>
#include <caf/exit_reason.hpp>
#include <caf/system_messages.hpp>
#include <utility>

#include "messages.hpp"

namespace esk::actors {
namespace {

using self_pointer = caf::stateful_actor<router_state>*;
using clock_type = std::chrono::steady_clock;

const std::shared_ptr<const aggregate_model>& model_of(const aggregate_message& message) {
  if (auto* job = std::get_if<command_message>(&message)) return (*job)->aggregate;
  return std::get<visit_message>(message)->aggregate;
}

const std::string& id_of(const aggregate_message& message) {
  if (auto* job = std::get_if<command_message>(&message)) return (*job)->aggregate_id;
  return std::get<visit_message>(message)->aggregate_id;
}

void forward(self_pointer self, const caf::actor& target, aggregate_message message) {
  if (auto* job = std::get_if<command_message>(&message))
    self->send(target, std::move(*job));
  else
    self->send(target, std::move(std::get<visit_message>(message)));
}

void passivate(self_pointer self, live_aggregate& entry);
void answer_counts_if_quiet(self_pointer self);

// Stops least recently used actors until at most max_live are live (0 = no cap).
void enforce_cap(self_pointer self) {
  auto& state = self->state;
  if (state.passivation.max_live == 0) return;
  while (state.live.active_count() > state.passivation.max_live)
    passivate(self, *state.live.least_recently_used());
}

// Delivers `message` to the live actor of its aggregate, spawning one if there is none, or
// holds it while that actor is being passivated.
void route(self_pointer self, aggregate_message message) {
  auto& state = self->state;
  const auto now = clock_type::now();
  const auto& model = model_of(message);
  if (auto* entry = state.live.find(model.get(), id_of(message))) {
    if (entry->passivating) {
      entry->held.push_back(std::move(message));
      return;
    }
    state.live.touch(*entry, now);
    forward(self, entry->actor, std::move(message));
    return;
  }
  // Monitored, not linked: a link costs the router a scan of all its links whenever an
  // aggregate actor stops (CAF keeps them in a list), which passivation makes frequent.
  auto spawned = self->spawn<caf::monitored>(aggregate_actor, model, id_of(message),
                                             state.environment, self->address());
  ++state.spawned;
  auto& entry = state.live.add(model, id_of(message), std::move(spawned), now);
  forward(self, entry.actor, std::move(message));
  enforce_cap(self);
}

// Asks the actor of `entry` to stop. It refuses while it has work (then it is live again and
// gets what was held meanwhile) or stops; its exit message then completes the passivation.
void passivate(self_pointer self, live_aggregate& entry) {
  if (entry.passivating) return;
  self->state.live.begin_passivation(entry);
  const caf::actor_id actor_id = entry.actor.id();
  self->request(entry.actor, caf::infinite, passivate_atom::value)
      .then(
          [self, actor_id](bool stopping) {
            if (stopping) return;  // the exit message finishes the job
            auto* refused = self->state.live.find_by_actor(actor_id);
            if (!refused) return;
            auto held = self->state.live.cancel_passivation(*refused, clock_type::now());
            for (auto& message : held) forward(self, refused->actor, std::move(message));
            answer_counts_if_quiet(self);
          },
          [](caf::error&) {
            // The actor stopped before answering; its exit message finishes the job.
          });
}

// Passivates every actor unused for idle_after, then schedules the next sweep.
void sweep_idle(self_pointer self) {
  auto& state = self->state;
  const auto idle_after = state.passivation.idle_after;
  const auto now = clock_type::now();
  while (auto* oldest = state.live.least_recently_used()) {
    if (now - oldest->last_used < idle_after) break;
    passivate(self, *oldest);
  }
  const auto interval = std::max(std::chrono::milliseconds{10}, idle_after / 2);
  self->delayed_send(self, interval, sweep_atom::value);
}

// Answers the count requests waiting for the passivations in progress to finish.
void answer_counts_if_quiet(self_pointer self) {
  auto& state = self->state;
  if (state.live.size() != state.live.active_count()) return;
  auto waiting = std::exchange(state.counts_waiting, {});
  for (auto& request : waiting) request->done({state.live.size(), state.passivated, state.spawned});
}

// An aggregate actor stopped: forget it; what was held for it goes to a fresh incarnation.
void on_aggregate_exit(self_pointer self, live_aggregate& entry, const caf::error& reason) {
  auto& state = self->state;
  if (entry.passivating && reason == caf::exit_reason::normal) {
    ++state.passivated;
  } else if (reason != caf::exit_reason::normal) {
    write_log(*state.environment->log, "an aggregate actor stopped: " + caf::to_string(reason));
  }
  auto held = state.live.remove(entry);
  for (auto& message : held) route(self, std::move(message));
  answer_counts_if_quiet(self);
}

// While stopping: how many aggregate actors are told to stop at once. Telling all of them at
// once makes every one runnable together, which CAF's work-stealing scheduler handles in
// superlinear time (100,000 took 33 s); a window keeps stopping linear.
constexpr std::size_t stop_window = 256;

// While stopping: tells the next aggregate actor to stop; quits once none is left.
void stop_next_aggregate(self_pointer self) {
  auto& state = self->state;
  if (!state.to_stop.empty()) {
    self->send_exit(state.to_stop.back(), *state.stopping);
    state.to_stop.pop_back();
    return;
  }
  if (state.live.size() == 0) self->quit(*state.stopping);
}

}  // namespace

caf::behavior router_actor(self_pointer self,
                           std::shared_ptr<const aggregate_environment> environment,
                           passivation_policy passivation) {
  self->state.environment = std::move(environment);
  self->state.passivation = passivation;
  self->set_down_handler([=](caf::down_msg& down) {
    auto& state = self->state;
    auto* entry = down.source ? state.live.find_by_actor(down.source.id()) : nullptr;
    if (!entry) return;
    if (!state.stopping) {
      on_aggregate_exit(self, *entry, down.reason);
      return;
    }
    state.live.remove(*entry);  // what it held answers itself as it is destroyed
    stop_next_aggregate(self);
  });
  self->set_exit_handler([=](caf::exit_msg& exit) {
    // The engine is stopping us: our aggregate actors stop first (each job they hold answers
    // itself as its actor goes), a bounded number at a time.
    auto& state = self->state;
    if (state.stopping) return;
    state.stopping = exit.reason;
    state.live.for_each_actor(
        [&](const caf::actor& aggregate) { state.to_stop.push_back(aggregate); });
    for (std::size_t started = 0; started < stop_window; ++started) stop_next_aggregate(self);
  });
  if (passivation.idle_after.count() > 0) self->send(self, sweep_atom::value);
  return {
      [=](command_message& message) {
        if (!self->state.stopping) route(self, std::move(message));  // else: answers itself
      },
      [=](visit_message& message) {
        if (!self->state.stopping) route(self, std::move(message));
      },
      [=](idle_aggregate_atom) {
        auto sender = self->current_sender();
        if (!sender) return;
        if (auto* entry = self->state.live.find_by_actor(sender->id())) passivate(self, *entry);
      },
      [=](sweep_atom) { sweep_idle(self); },
      [=](count_message& request) {
        self->state.counts_waiting.push_back(std::move(request));
        answer_counts_if_quiet(self);
      },
  };
}

}  // namespace esk::actors
