#include "command_batch.hpp"

#include <exception>
#include <iterator>
#include <utility>

#include "aggregate_snapshots.hpp"
#include "esk/identifiers.hpp"

namespace esk::actors {
namespace {

// A command's correlation or causation ID: `id`, or the command's own ID when it is empty
// (command_value).
const std::string& or_command_id(const std::string& id, const command_value& command) {
  return id.empty() ? command.command_id : id;
}

// Runs the command handler on the instance, whose state reflects the stream at `version`,
// into `decided` (emptied first); what it throws becomes handler_failed.
status decide(const aggregate_actor_state& state, const command_value& command,
              std::uint64_t version, std::vector<decided_event>& decided) {
  decided.clear();
  try {
    const command_context context{state.aggregate_id, version, command.command_id,
                                  or_command_id(command.correlation_id, command),
                                  or_command_id(command.causation_id, command)};
    auto decision = state.instance->decide(command, context, decided);
    if (!decision) return with_context(state, command.type, decision.error_value());
    return {};
  } catch (...) {
    return error{error_kind::handler_failed, describe(state) + ": handler for " + command.type +
                                                 " threw: " + describe_current_exception()};
  }
}

// Adds `decided` to the request, moving their types and payloads out (call it after
// apply_ahead, which needs the types). Every event of a request is recorded at the same
// time: the request's first event takes a new timestamp, the others copy it.
void add_events(append_request& request, const command_value& command,
                std::vector<decided_event>& decided) {
  for (auto& event : decided) {
    std::string recorded_at =
        request.events.empty() ? utc_timestamp_now() : request.events.front().metadata.recorded_at;
    request.events.push_back(
        {std::move(event.type),
         std::move(event.payload),
         {new_unique_id(), command.command_id, or_command_id(command.correlation_id, command),
          or_command_id(command.causation_id, command), std::move(recorded_at)}});
  }
}

// Applies decided events to the instance ahead of the store's answer. If an event handler
// throws, the state can no longer be trusted: drops the instance and returns why.
std::string apply_ahead(aggregate_actor_state& state, const std::vector<decided_event>& decided) {
  try {
    for (const auto& event : decided) state.instance->apply(event);
    return {};
  } catch (...) {
    state.instance.reset();
    return describe_current_exception();
  }
}

std::vector<recorded_event> take_events(std::vector<recorded_event>& recorded, std::size_t from,
                                        std::size_t count) {
  const auto first = recorded.begin() + static_cast<std::ptrdiff_t>(from);
  return {std::make_move_iterator(first),
          std::make_move_iterator(first + static_cast<std::ptrdiff_t>(count))};
}

// Whether a command of `batch` has the ID `command_id`.
bool in_batch(const command_batch& batch, const std::string& command_id) {
  for (const auto& command : batch.commands)
    if (command.job->command.command_id == command_id) return true;
  return false;
}

// The answer to a command sent again: the events its ID recorded the first time, read back
// from the store (a small read of a rare case, on the actor's thread).
command_result first_recording(const aggregate_actor_state& state, const command_value& command,
                               recorded_span recorded) {
  try {
    auto events =
        state.environment->store->read_stream(state.stream, recorded.first_version, recorded.count);
    if (!events) return with_context(state, command.type, events.error_value());
    return events;
  } catch (...) {
    return with_context(
        state, command.type,
        {error_kind::store_unavailable,
         "reading the events of its first run failed: " + describe_current_exception()});
  }
}

// Takes the command at the front of the waiting queue out of it.
queued_command take_front(aggregate_actor_state& state) {
  queued_command front = std::move(std::get<queued_command>(state.waiting.front()));
  state.waiting.pop_front();
  return front;
}

}  // namespace

std::shared_ptr<command_batch> decide_batch(aggregate_actor_state& state) {
  auto batch = std::make_shared<command_batch>();
  append_request& request = batch->request;
  request.stream = state.stream;
  request.expected_version = state.version;
  std::uint64_t version = state.version;  // as the events decided so far will leave the stream
  while (!state.waiting.empty() && state.instance &&
         batch->commands.size() < max_commands_per_append) {
    auto* queued = std::get_if<queued_command>(&state.waiting.front());
    if (!queued) break;  // a state reader sees committed state only: it ends the batch
    const std::string& command_id = queued->job->command.command_id;
    if (in_batch(*batch, command_id)) break;  // its first run commits first: then a repeat
    if (auto recorded = state.commands.find(command_id)) {
      queued_command repeated = take_front(state);
      repeated.job->complete(first_recording(state, repeated.job->command, *recorded));
      continue;
    }
    if (queued->conflict_unless_repeated) {
      queued_command conflicted = take_front(state);
      conflicted.job->complete(std::move(*conflicted.conflict_unless_repeated));
      continue;
    }
    const auto& expected = queued->job->command.expected_version;
    if (expected && *expected > version && batch->commands.empty() && !queued->reread) {
      // The sender saw a version this actor has not: another writer moved the stream on.
      // Read it again before judging (run_waiting rehydrates an actor without an instance).
      queued->reread = true;
      state.instance.reset();
      break;
    }
    queued_command next = take_front(state);
    // One vector per thread for every command's decided events: deciding allocates none. It
    // is emptied after each command, so its typed events do not outlive their turn.
    thread_local std::vector<decided_event> decided;
    auto decision =
        expected && *expected != version
            ? status{with_context(state, next.job->command.type,
                                  {error_kind::conflict,
                                   "expected version " + std::to_string(*expected) +
                                       ", but the stream is at version " + std::to_string(version),
                                   version})}
            : decide(state, next.job->command, version, decided);
    if (!decision || decided.empty()) {
      decided.clear();
      command_result answer = decision ? command_result{std::vector<recorded_event>{}}
                                       : command_result{decision.error_value()};
      if (batch->commands.empty())
        next.job->complete(std::move(answer));  // decided on the committed state
      else
        batch->commands.push_back({std::move(next.job), next.retries_left, 0, std::move(answer)});
      continue;
    }
    version += decided.size();
    batch->apply_failure = apply_ahead(state, decided);
    add_events(request, next.job->command, decided);
    batch->commands.push_back({std::move(next.job), next.retries_left, decided.size(), {}});
    decided.clear();
  }
  if (request.events.empty()) return nullptr;
  return batch;
}

snapshot_message settle_committed(aggregate_actor_state& state, command_batch& batch,
                                  std::vector<recorded_event> recorded) {
  state.version = recorded.back().version;
  std::size_t first = 0;
  for (const auto& command : batch.commands) {
    if (command.event_count == 0) continue;
    state.commands.remember(command.job->command.command_id,
                            {recorded[first].version, command.event_count});
    first += command.event_count;
  }
  if (!batch.apply_failure.empty())
    write_log(*state.environment->log,
              describe(state) +
                  ": event handler threw after commit (state reloaded): " + batch.apply_failure);
  count_applied(state, recorded);
  snapshot_message due = snapshot_if_due(state);
  if (batch.commands.size() == 1) {
    batch.commands.front().job->complete(std::move(recorded));
    return due;
  }
  std::size_t next_event = 0;
  for (auto& command : batch.commands) {
    if (command.event_count == 0) {
      command.job->complete(std::move(*command.held_answer));
      continue;
    }
    command.job->complete(take_events(recorded, next_event, command.event_count));
    next_event += command.event_count;
  }
  return due;
}

void settle_failed(aggregate_actor_state& state, command_batch& batch, const error& cause) {
  state.instance.reset();
  if (!batch.apply_failure.empty())
    write_log(*state.environment->log,
              describe(state) + ": event handler threw (state reloaded; the append failed): " +
                  batch.apply_failure);
  const bool conflict = cause.kind == error_kind::conflict;
  bool first_with_events = true;
  std::vector<queued_command> again;
  for (auto& command : batch.commands) {
    auto& job = command.job;
    if (command.event_count == 0) {
      again.push_back({std::move(job), command.retries_left});  // decided on a state that never was
    } else if (!conflict) {
      job->complete(with_context(state, job->command.type, cause));  // its transaction failed
    } else if (!first_with_events) {
      again.push_back({std::move(job), command.retries_left});  // never met the conflict itself
    } else if (command.retries_left > 0) {
      again.push_back({std::move(job), command.retries_left - 1});
    } else if (!state.commands.enabled()) {
      job->complete(with_context(state, job->command.type, cause));  // no ID to look for
    } else {
      // Read the stream again before answering: another writer may have recorded this very
      // command (a retry sent to two nodes); then its first events are the answer.
      queued_command last_look{std::move(job), 0};
      last_look.conflict_unless_repeated = with_context(state, last_look.job->command.type, cause);
      again.push_back(std::move(last_look));
    }
    if (command.event_count > 0) first_with_events = false;
  }
  for (auto it = again.rbegin(); it != again.rend(); ++it)
    state.waiting.emplace_front(std::move(*it));
}

}  // namespace esk::actors
