#include "esk/actors/engine.hpp"

#include <algorithm>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <utility>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/send.hpp"
#include "command_gate.hpp"
#include "esk/store/commit_follower.hpp"
#include "counted_callback.hpp"
#include "group_commit_counters.hpp"
#include "in_flight_counter.hpp"
#include "messages.hpp"
#include "projection_actor.hpp"
#include "router_actor.hpp"
#include "snapshot_writer.hpp"
#include "store_actor.hpp"
#include "stream_reader.hpp"

namespace esk {

using namespace esk::actors;

namespace {

caf::actor_system_config& configure(caf::actor_system_config& config,
                                    const engine_options& options) {
  std::size_t threads = options.worker_threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  config.set("scheduler.max-threads", threads);
  return config;
}

// Delivers refusals on an actor thread, apart from the router: an overloaded engine answers
// them without adding to the router's work, and they still arrive once stop() stopped it.
// It takes the log (where a callback that throws despite its wrapper would be reported) also
// because CAF 0.17.6 dereferences a null argument tuple when a function-based actor is spawned
// without arguments (UBSan: "reference binding to null pointer" in init_fun_factory.hpp).
caf::behavior answering_actor(std::shared_ptr<const log_sink> log) {
  return {[log](refused_message& message) {
    call_user_callback(message->on_done, std::move(message->cause), *log,
                       [] { return std::string("the callback of a refused command"); });
  }};
}

}  // namespace

struct engine::impl {
  impl(std::shared_ptr<event_store> event_store, const engine_options& options)
      : store(std::move(event_store)),
        log(std::make_shared<const log_sink>(options.log)),
        system(configure(config, options)) {
    store_actor =
        system.spawn(actors::store_actor, store, options.group_commit, group_commit_counts);
    auto environment = std::make_shared<aggregate_environment>();
    stream_reader = system.spawn(actors::stream_reader, store,
                                 std::max<std::size_t>(options.max_concurrent_rehydrations, 1));
    environment->stream_reader = stream_reader;
    environment->store = store;
    environment->remembered_commands = options.remembered_commands;
    environment->store_actor = store_actor;
    environment->conflict_retries = options.conflict_retries;
    environment->log = log;
    snapshot_writer =
        system.spawn<caf::detached>(actors::snapshot_writer, store, snapshot_counts, log);
    environment->snapshot_writer = snapshot_writer;
    environment->snapshot_writes = snapshot_writes;
    environment->snapshot_counts = snapshot_counts;
    router = system.spawn(router_actor, std::move(environment),
                          passivation_policy{options.passivate_after, options.max_live_aggregates});
    answerer = system.spawn(answering_actor, log);
  }

  std::shared_ptr<event_store> store;
  std::shared_ptr<const log_sink> log;
  caf::actor_system_config config;
  caf::actor_system system;
  caf::actor store_actor;
  std::shared_ptr<group_commit_counters> group_commit_counts =
      std::make_shared<group_commit_counters>();
  caf::actor stream_reader;  // rehydration reads, on threads of their own
  caf::actor router;
  // A projection actor and what the engine reads of it.
  struct projection_entry {
    std::string name;
    caf::actor actor;
    std::shared_ptr<projection_board> board;
    std::shared_ptr<live_feed> feed;
  };
  std::mutex projections_mutex;
  std::vector<projection_entry> projections;
  // Announces other processes' commits to the projections (a store shared with them); started
  // with the first projection, when the store announces commits. Guarded by projections_mutex.
  std::unique_ptr<commit_follower> follower;
  bool follower_tried = false;

  // Starts the follower if not tried yet. REQUIRES: projections_mutex held.
  void follow_other_processes() {
    if (follower_tried) return;
    follower_tried = true;
    follower = commit_follower::start(*store, [this](std::uint64_t last_position) {
      std::lock_guard<std::mutex> lock{projections_mutex};
      for (const auto& projection : projections)
        if (projection.feed->announce(last_position))
          caf::anon_send(projection.actor, commits_announced_atom::value);
    });
  }
  std::shared_ptr<in_flight_counter> in_flight = std::make_shared<in_flight_counter>();
  // Snapshots (aggregate_snapshots.hpp): what happened to them, and those handed to the
  // writer and not yet written, which the destructor waits for.
  std::shared_ptr<snapshot_counters> snapshot_counts = std::make_shared<snapshot_counters>();
  std::shared_ptr<in_flight_counter> snapshot_writes = std::make_shared<in_flight_counter>();
  caf::actor snapshot_writer;
  // Backpressure and stopping (stop()): commands in flight against max_in_flight.
  std::shared_ptr<command_gate> commands;
  caf::actor answerer;  // delivers refusals; stopped last
  // Held shared while work is admitted and sent to the router, exclusively by stop() to close
  // the gate: so nothing reaches the router after stop() has let it go.
  std::shared_mutex admitting;
  std::mutex stopping;                 // one stop() at a time
  std::optional<stop_report> stopped;  // the first stop()'s report
};

engine::engine(std::shared_ptr<event_store> store, engine_options options)
    : impl_(std::make_unique<impl>(std::move(store), options)) {
  impl_->commands = std::make_shared<command_gate>(options.max_in_flight);
}

engine::~engine() {
  // Joined before anything it sends to goes (its callback takes projections_mutex).
  std::unique_ptr<commit_follower> follower;
  {
    std::lock_guard<std::mutex> lock{impl_->projections_mutex};
    follower = std::move(impl_->follower);
  }
  follower.reset();
  impl_->in_flight->wait_until_drained();
  // Commands hand snapshots over before they are acknowledged: all are counted by now.
  impl_->snapshot_writes->wait_until_drained();
  caf::anon_send_exit(impl_->snapshot_writer, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(impl_->router, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(impl_->answerer, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(impl_->store_actor, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(impl_->stream_reader, caf::exit_reason::user_shutdown);
  std::lock_guard<std::mutex> lock{impl_->projections_mutex};
  for (const auto& projection : impl_->projections) {
    projection.feed->stopping = true;
    caf::anon_send_exit(projection.actor, caf::exit_reason::user_shutdown);
  }
  // impl_'s actor_system destructor waits for every actor to finish.
}

void engine::dispatch(std::shared_ptr<const aggregate_model> aggregate, std::string aggregate_id,
                      command_value command, command_callback on_done) {
  std::shared_lock<std::shared_mutex> admitting{impl_->admitting};
  if (auto refusal = impl_->commands->admit()) {
    admitting.unlock();
    refusal->message =
        aggregate->type_name + " " + aggregate_id + ": " + command.type + ": " + refusal->message;
    return refuse(std::move(on_done), std::move(*refusal));
  }
  caf::anon_send(impl_->router,
                 command_message{std::make_shared<command_job>(
                     std::move(aggregate), std::move(aggregate_id), std::move(command),
                     std::move(on_done), impl_->in_flight, impl_->commands, impl_->log)});
}

void engine::refuse(command_callback on_done, error cause) {
  auto message = std::make_shared<refused_command>();
  message->cause = std::move(cause);
  message->on_done = counted(impl_->in_flight, impl_->log, std::move(on_done),
                             "the callback of a refused command", impl_->commands);
  caf::anon_send(impl_->answerer, refused_message{std::move(message)});
}

void engine::visit(std::shared_ptr<const aggregate_model> aggregate, std::string aggregate_id,
                   instance_visitor visitor) {
  std::shared_lock<std::shared_mutex> admitting{impl_->admitting};
  if (impl_->commands->closed()) {
    admitting.unlock();
    auto described = aggregate->type_name + " " + aggregate_id + ": the runtime is stopping";
    return refuse(
        [visitor = std::move(visitor)](command_result refusal) { visitor(refusal.error_value()); },
        error{error_kind::shutting_down, std::move(described)});
  }
  auto message = std::make_shared<visit_request>();
  message->aggregate = std::move(aggregate);
  message->aggregate_id = std::move(aggregate_id);
  message->visitor =
      counted(impl_->in_flight, impl_->log, std::move(visitor), "a state reader", impl_->commands);
  caf::anon_send(impl_->router, visit_message{std::move(message)});
}

status engine::add_projection(std::shared_ptr<projection> user_projection,
                              projection_options options) {
  std::string name = user_projection->name();
  std::lock_guard<std::mutex> lock{impl_->projections_mutex};
  for (const auto& added : impl_->projections)
    if (added.name == name)
      return error{error_kind::invalid_argument,
                   "projection '" + name + "' is added twice (names must be unique)"};
  options.max_buffered_events = std::max<std::size_t>(options.max_buffered_events, 1);
  auto feed = std::make_shared<live_feed>(options.max_buffered_events);
  auto board = std::make_shared<projection_board>(name);
  // Detached: catch-up reads and the user's handlers block only the projection's own thread.
  auto actor = impl_->system.spawn<caf::detached>(
      projection_actor, projection_setup{std::move(user_projection), std::move(options),
                                         impl_->store, impl_->log, feed, board});
  caf::anon_send(actor, catch_up_atom::value);
  caf::anon_send(impl_->store_actor, subscribe_message{std::make_shared<projection_subscription>(
                                         projection_subscription{actor, feed})});
  impl_->projections.push_back(
      {std::move(name), std::move(actor), std::move(board), std::move(feed)});
  impl_->follow_other_processes();
  return {};
}

result<std::vector<projection_status>> engine::projection_statuses() {
  auto last = impl_->store->last_position();
  if (!last) return last.error_value();
  std::vector<projection_status> statuses;
  std::lock_guard<std::mutex> lock{impl_->projections_mutex};
  for (const auto& projection : impl_->projections) {
    statuses.push_back(projection.board->read());
    auto& status = statuses.back();
    status.lag = *last > status.position ? *last - status.position : 0;
  }
  return statuses;
}

status engine::restart_projection(const std::string& name) {
  std::lock_guard<std::mutex> lock{impl_->projections_mutex};
  for (const auto& projection : impl_->projections)
    if (projection.name == name) {
      caf::anon_send(projection.actor, restart_atom::value);
      return {};
    }
  return error{error_kind::invalid_argument, "no projection named '" + name + "'"};
}

status engine::rebuild_projection(const std::string& name, rebuild_progress_callback progress) {
  auto promise = std::make_shared<std::promise<status>>();
  auto reply = promise->get_future();
  {
    std::lock_guard<std::mutex> lock{impl_->projections_mutex};
    auto found = std::find_if(impl_->projections.begin(), impl_->projections.end(),
                              [&](const auto& projection) { return projection.name == name; });
    if (found == impl_->projections.end())
      return error{error_kind::invalid_argument, "no projection named '" + name + "'"};
    auto request = std::make_shared<rebuild_request>();
    request->progress = std::move(progress);
    request->done = [promise](status outcome) { promise->set_value(std::move(outcome)); };
    caf::anon_send(found->actor, rebuild_message{std::move(request)});
  }
  try {
    return reply.get();
  } catch (const std::future_error&) {
    return error{error_kind::shutting_down,
                 "projection '" + name + "' stopped before its rebuild was done"};
  }
}

status engine::sync_projections(std::chrono::milliseconds timeout) {
  auto last = impl_->store->last_position();
  if (!last) return last.error_value();
  std::vector<std::future<status>> replies;
  {
    std::lock_guard<std::mutex> lock{impl_->projections_mutex};
    for (const auto& projection : impl_->projections) {
      auto promise = std::make_shared<std::promise<status>>();
      replies.push_back(promise->get_future());
      auto request = std::make_shared<sync_request>();
      request->position = *last;
      request->done = [promise](status outcome) { promise->set_value(std::move(outcome)); };
      caf::anon_send(projection.actor, sync_message{std::move(request)});
    }
  }
  // Every projection answers before the call returns (a healthy one has caught up even when
  // another failed); the first failure is the answer.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  status first_failure;
  for (auto& reply : replies) {
    if (reply.wait_until(deadline) != std::future_status::ready)
      return error{error_kind::timeout, "projections did not catch up to position " +
                                            std::to_string(*last) + " within " +
                                            std::to_string(timeout.count()) + " ms"};
    status outcome;
    try {
      outcome = reply.get();
    } catch (const std::future_error&) {
      outcome = error{error_kind::handler_failed, "a projection actor stopped before catching up"};
    }
    if (!outcome && first_failure) first_failure = std::move(outcome);
  }
  return first_failure;
}

stop_report engine::stop(std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::lock_guard<std::mutex> once{impl_->stopping};
  if (impl_->stopped) return *impl_->stopped;
  stop_report report;
  {
    std::unique_lock<std::shared_mutex> closing{impl_->admitting};
    report.in_flight_at_stop = impl_->commands->close();
  }
  if (!impl_->commands->wait_until_empty(until)) {
    report.deadline_passed = true;
    impl_->commands->expire();
    // The router stops its aggregate actors before it quits; each command they hold (queued,
    // deciding, awaiting the store) is answered shutting_down as its job is destroyed.
    caf::anon_send_exit(impl_->router, caf::exit_reason::user_shutdown);
    impl_->commands->wait_until_empty();
  }
  report.answered_shutting_down = impl_->commands->answered_at_expiry();
  report.completed = report.in_flight_at_stop - report.answered_shutting_down;
  impl_->stopped = report;
  return report;
}

snapshot_statistics engine::snapshot_stats() const { return impl_->snapshot_counts->read(); }

group_commit_statistics engine::group_commit_stats() const {
  return impl_->group_commit_counts->read();
}

result<aggregate_counts> engine::count_aggregates(std::chrono::milliseconds timeout) {
  auto promise = std::make_shared<std::promise<aggregate_counts>>();
  auto counted_later = promise->get_future();
  auto request = std::make_shared<count_request>();
  request->done = [promise](aggregate_counts counts) { promise->set_value(counts); };
  caf::anon_send(impl_->router, count_message{std::move(request)});
  if (counted_later.wait_for(timeout) != std::future_status::ready)
    return error{error_kind::timeout, "the router did not count its aggregate actors within " +
                                          std::to_string(timeout.count()) + " ms"};
  return counted_later.get();
}

event_store& engine::store() { return *impl_->store; }

}  // namespace esk
