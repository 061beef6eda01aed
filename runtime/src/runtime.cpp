#include "esk/runtime.hpp"

#include <algorithm>
#include <stdexcept>

#include "command_envelope.hpp"
#include "esk/actors/engine.hpp"
#include "esk/identifiers.hpp"
#include "esk/type_name.hpp"
#include "process_manager_binding.hpp"
#include "typed_projection_binding.hpp"
#include "upcasting_projection.hpp"

namespace esk {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "none" : text;
}

// The refusal of a command type nobody registered: `what` says what was sent; the registered
// names follow, so the caller sees what would have worked.
error unknown_command(const std::string& what, const command_registry& commands) {
  return {error_kind::unknown_command, what + " (registered: " + joined(commands.names()) + ")"};
}

}  // namespace

runtime::runtime(std::shared_ptr<event_store> store, runtime_options options) : options_(options) {
  if (!store) throw std::invalid_argument("esk::runtime needs a store");
  engine_ = std::make_unique<engine>(
      std::move(store),
      engine_options{options.worker_threads, options.conflict_retries, options.log,
                     options.group_commit, options.passivate_after, options.max_live_aggregates,
                     options.max_in_flight, options.max_concurrent_rehydrations,
                     options.remembered_commands});
}

runtime::~runtime() {
  if (outlet_) outlet_->close();
}

void runtime::add_aggregate(std::type_index state_type, std::shared_ptr<aggregate_model> model) {
  if (aggregates_by_name_.count(model->type_name) || aggregates_by_type_.count(state_type))
    throw std::logic_error("aggregate type '" + model->type_name + "' is registered twice");
  // Asked on each answer, not here: event types and upcasters may be registered after this.
  // The engine stops (engine_ is declared after events_) before events_ goes away.
  model->answer_in_current_schema = [&events = events_](std::vector<recorded_event>& recorded) {
    if (!events.evolves()) return;
    // If they cannot be upcast (which only an older answer replayed by ID could meet), the
    // caller gets them as stored rather than an error that would say the command failed.
    if (auto current = events.upcast(std::move(recorded))) recorded = std::move(*current);
  };
  aggregates_by_name_.emplace(model->type_name, model);
  aggregates_by_type_.emplace(state_type, std::move(model));
}

void runtime::start_projection(std::shared_ptr<projection> projection, projection_options options) {
  if (options_.start_projections) {
    if (auto added = engine_->add_projection(std::move(projection), std::move(options)); !added)
      throw std::logic_error(added.error_value().message);
    return;
  }
  std::string name = projection->name();
  if (std::find(idle_projection_names_.begin(), idle_projection_names_.end(), name) !=
      idle_projection_names_.end())
    throw std::logic_error("projection '" + name + "' is added twice (names must be unique)");
  idle_projection_names_.push_back(std::move(name));
}

void runtime::add_projection(std::shared_ptr<projection> projection, projection_options options) {
  if (!projection) throw std::invalid_argument("esk::runtime::add_projection needs a projection");
  start_projection(upcasting_projection(std::move(projection), events_), std::move(options));
}

void runtime::add_projection(const typed_projection& projection, projection_options options) {
  start_projection(bind_typed_projection(projection, events_), std::move(options));
}

void runtime::add_process_manager(const process_manager& manager, projection_options options) {
  if (!outlet_)
    outlet_ = std::make_shared<command_outlet>(
        [this](std::type_index type, std::shared_ptr<const void> command, command_options sent,
               command_callback on_done) {
          send_erased(type, std::move(command), std::move(sent), std::move(on_done));
        });
  add_projection(
      bind_process_manager(manager, outlet_, std::make_shared<const log_sink>(options_.log),
                           options_.blocking_timeout),
      std::move(options));
}

projection_options runtime::process_manager_options() {
  projection_options options;
  options.checkpoints = checkpoint_location::in_event_store();
  options.on_failure = failure_policy::retry(5);
  return options;
}

status runtime::rebuild_projection(const std::string& name, rebuild_progress_callback progress) {
  return engine_->rebuild_projection(name, std::move(progress));
}

result<std::vector<projection_status>> runtime::projection_statuses() {
  return engine_->projection_statuses();
}

status runtime::restart_projection(const std::string& name) {
  return engine_->restart_projection(name);
}

void runtime::send_erased(std::type_index command_type, std::shared_ptr<const void> command,
                          command_options options, command_callback on_done) {
  const auto* route = commands_.find(command_type);
  if (!route) {
    engine_->refuse(std::move(on_done),
                    unknown_command("command C++ type " + readable_type_name(command_type) +
                                        " is not registered",
                                    commands_));
    return;
  }
  dispatch(*route, std::move(command), std::move(options), std::move(on_done));
}

void runtime::dispatch(const command_type_entry& route, std::shared_ptr<const void> command,
                       command_options options, command_callback on_done) {
  std::string aggregate_id = route.target_id(command.get());
  if (aggregate_id.empty()) {
    engine_->refuse(std::move(on_done), error{error_kind::invalid_argument,
                                              route.aggregate->type_name + ": " + route.name +
                                                  ": the aggregate ID is empty"});
    return;
  }
  if (options.command_id.empty()) options.command_id = new_unique_id();
  // An empty correlation or causation ID stays empty here: the aggregate reads it as the
  // command's own ID (command_value), without two copies of that ID per command. The answer
  // reaches the current schema through the aggregate's model (add_aggregate), not a wrapper.
  engine_->dispatch(route.aggregate, std::move(aggregate_id),
                    {route.name, std::move(command), std::move(options.command_id),
                     std::move(options.correlation_id), std::move(options.causation_id),
                     options.expected_version},
                    std::move(on_done));
}

void runtime::send_json(std::string_view json_command, command_callback on_done,
                        command_options overrides) {
  auto envelope = parse_command_envelope(json_command);
  if (!envelope) return engine_->refuse(std::move(on_done), envelope.error_value());
  const auto* route = commands_.find(envelope->type);
  if (!route) {
    engine_->refuse(std::move(on_done),
                    unknown_command("unknown command type '" + envelope->type + "'", commands_));
    return;
  }
  auto command = route->decode(envelope->payload);
  if (!command) return engine_->refuse(std::move(on_done), command.error_value());
  command_options& options = envelope->options;
  if (!overrides.command_id.empty()) options.command_id = std::move(overrides.command_id);
  if (!overrides.correlation_id.empty())
    options.correlation_id = std::move(overrides.correlation_id);
  if (!overrides.causation_id.empty()) options.causation_id = std::move(overrides.causation_id);
  if (overrides.expected_version) options.expected_version = overrides.expected_version;
  dispatch(*route, std::move(*command), std::move(options), std::move(on_done));
}

command_result runtime::execute_json(std::string_view json_command) {
  auto promise = std::make_shared<std::promise<command_result>>();
  auto outcome = promise->get_future();
  send_json(json_command, promise_callback(std::move(promise)));
  return wait_for(std::move(outcome));
}

command_callback runtime::promise_callback(std::shared_ptr<std::promise<command_result>> promise) {
  return [promise = std::move(promise)](command_result outcome) {
    promise->set_value(std::move(outcome));
  };
}

command_result runtime::wait_for(std::future<command_result> outcome) const {
  if (outcome.wait_for(options_.blocking_timeout) != std::future_status::ready)
    return error{error_kind::timeout, "no outcome within " +
                                          std::to_string(options_.blocking_timeout.count()) +
                                          " ms (the command may still complete)"};
  return outcome.get();
}

status runtime::visit_state(std::type_index state_type, const std::string& aggregate_id,
                            std::function<void(const void*, std::uint64_t)> reader) {
  auto model = aggregates_by_type_.find(state_type);
  if (model == aggregates_by_type_.end())
    return error{error_kind::unknown_aggregate,
                 "aggregate C++ type " + readable_type_name(state_type) + " is not registered"};
  return visit_state(model->second, aggregate_id,
                     [reader = std::move(reader)](const instance_view& view) {
                       reader(view.instance->state(), view.version);
                       return status{};
                     });
}

status runtime::visit_state(std::shared_ptr<const aggregate_model> model,
                            const std::string& aggregate_id,
                            std::function<status(const instance_view&)> reader) {
  if (aggregate_id.empty())
    return error{error_kind::invalid_argument, model->type_name + ": the aggregate ID is empty"};
  auto done = std::make_shared<std::promise<status>>();
  auto outcome = done->get_future();
  const std::string described = model->type_name + " " + aggregate_id;
  engine_->visit(std::move(model), aggregate_id,
                 [done, reader = std::move(reader)](result<instance_view> view) {
                   if (!view) return done->set_value(view.error_value());
                   done->set_value(reader(*view));
                 });
  if (outcome.wait_for(options_.blocking_timeout) != std::future_status::ready)
    return error{error_kind::timeout, "reading the state of " + described + " timed out after " +
                                          std::to_string(options_.blocking_timeout.count()) +
                                          " ms"};
  try {
    return outcome.get();
  } catch (const std::future_error&) {
    return error{error_kind::handler_failed,
                 described + ": the aggregate actor stopped before answering"};
  }
}

result<versioned<std::string>> runtime::versioned_state_json(std::string_view aggregate_type,
                                                             const std::string& aggregate_id) {
  auto model = aggregates_by_name_.find(std::string(aggregate_type));
  if (model == aggregates_by_name_.end())
    return error{error_kind::unknown_aggregate,
                 "unknown aggregate type '" + std::string(aggregate_type) + "'"};
  auto json = std::make_shared<versioned<std::string>>();
  auto visited =
      visit_state(model->second, aggregate_id, [json](const instance_view& view) -> status {
        auto encoded = view.instance->state_json();
        if (!encoded) return encoded.error_value();
        json->state = std::move(*encoded);
        json->version = view.version;
        return {};
      });
  if (!visited) return visited.error_value();
  return std::move(*json);
}

result<std::string> runtime::state_json(std::string_view aggregate_type,
                                        const std::string& aggregate_id) {
  auto found = versioned_state_json(aggregate_type, aggregate_id);
  if (!found) return found.error_value();
  return std::move(found->state);
}

status runtime::sync_projections() { return engine_->sync_projections(options_.blocking_timeout); }

stop_report runtime::stop(std::chrono::milliseconds deadline) { return engine_->stop(deadline); }

snapshot_statistics runtime::snapshot_stats() const { return engine_->snapshot_stats(); }

group_commit_statistics runtime::group_commit_stats() const {
  return engine_->group_commit_stats();
}

result<aggregate_counts> runtime::count_aggregates() {
  return engine_->count_aggregates(options_.blocking_timeout);
}

gap_wait_statistics runtime::gap_waits() const { return engine_->store().gap_waits(); }

event_store& runtime::store() { return engine_->store(); }

}  // namespace esk
