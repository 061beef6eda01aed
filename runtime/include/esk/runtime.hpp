// esk/runtime.hpp — the embedding API: register aggregates, send commands, read state.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "esk/actors/aggregate_counts.hpp"
#include "esk/actors/aggregate_model.hpp"
#include "esk/actors/group_commit_settings.hpp"
#include "esk/actors/group_commit_statistics.hpp"
#include "esk/actors/stop_report.hpp"
#include "esk/aggregate_builder.hpp"
#include "esk/log_sink.hpp"
#include "esk/process_manager.hpp"
#include "esk/projection.hpp"
#include "esk/projection_options.hpp"
#include "esk/registry.hpp"
#include "esk/result.hpp"
#include "esk/store/event_store.hpp"
#include "esk/typed_projection.hpp"
#include "esk/versioned.hpp"

namespace esk {

class engine;
class command_outlet;

// How a runtime runs.
struct runtime_options {
  std::size_t worker_threads = 0;                     // actor scheduler threads; 0 = one per core
  std::chrono::milliseconds blocking_timeout{30000};  // for execute(), state(), ...
  // Opt-in retry on conflict (another writer moved the stream on): the aggregate re-reads its
  // stream from the store and runs the command handler again, at most this many times, before
  // the command fails with conflict. 0 = no retry. Only safe for handlers whose decision
  // depends on nothing but the aggregate's state and the command.
  std::size_t conflict_retries = 0;
  // Where the runtime reports what no caller can be told through a result: a command
  // callback or state reader that threw, an event handler that threw after the commit, a
  // projection that stopped or cannot read the log. Empty = one line on stderr. See
  // esk/log_sink.hpp.
  log_sink log{};
  // How appends are grouped into store transactions; the defaults suit SQLite and memory.
  group_commit_settings group_commit{};
  // Passivation: an aggregate actor unused for passivate_after is stopped (its state freed);
  // beyond max_live_aggregates live actors the least recently used are stopped first. The next
  // command or read for a stopped aggregate respawns it and rehydrates it from the store,
  // transparently; a command racing a passivation is delivered once, in order. An actor whose
  // aggregate has no events is stopped as soon as it is idle, whatever these say.
  // passivate_after 0 = never by idle time; max_live_aggregates 0 = no cap.
  std::chrono::milliseconds passivate_after{std::chrono::minutes(10)};
  std::size_t max_live_aggregates = 1000000;
  // Backpressure: at most this many commands in flight (sent and not yet answered, callback
  // included). Beyond it a command is answered overloaded at once and nothing is done, so a
  // burst cannot grow memory without bound (each command in flight holds its payload, its
  // events and a few hundred bytes). execute() does not wait for room either. 0 = no bound.
  std::size_t max_in_flight = 100000;
  // Rehydration: an aggregate's stream (and snapshot) is read on one of this many threads of
  // its own, never on the scheduler's, so a long read does not stall live aggregates; at most
  // this many rehydrations read the store at once (after a restart under load the others wait
  // their turn, first come first served, instead of stampeding the store). At least 1.
  std::size_t max_concurrent_rehydrations = 4;
  // Idempotent commands: a command whose ID (command_options::command_id) is among the last
  // remembered_commands commands that recorded events on its aggregate is not applied again:
  // it is answered with the events it recorded the first time. Works across restarts (the IDs
  // are read back with the stream: those of the events after the latest snapshot) and across
  // processes sharing a store (the second writer meets a conflict, re-reads the stream and
  // finds the ID). Rejected commands and commands without events are not remembered: sent
  // again, they are decided again. Costs one hash entry (~100 B) per remembered command of a
  // live aggregate. 0 = off.
  std::size_t remembered_commands = 1000;
  // Whether add_projection and add_process_manager start what they are given. false: they
  // check it as always (std::logic_error for a name added twice or a handler's event type not
  // registered) and then keep it idle: no handler runs, nothing reads the log for it, writes
  // its read model or checkpoint, or sends its commands; projection_statuses() lists none,
  // sync_projections() returns at once, restart_projection and rebuild_projection find no
  // projection of that name. For a runtime that only answers reads (state, the log) with the
  // app's registration code unchanged: the standard command line's `state` and `events`.
  bool start_projections = true;
};

// Optional tracing IDs for a command; empty ones are generated (correlation and causation
// default to the command ID). expected_version: the version of the aggregate's stream the
// sender decided on (0 = it has no events); when the stream is elsewhere the command fails
// with conflict, naming both versions (error::stream_version holds the stream's), before
// the handler runs. Unset = no expectation (the aggregate's own optimistic check remains).
struct command_options {
  std::string command_id;
  std::string correlation_id;
  std::string causation_id;
  std::optional<std::uint64_t> expected_version{};
};

// The largest JSON command send_json accepts, in bytes (1 MiB).
inline constexpr std::size_t max_json_command_bytes = 1 << 20;

// An event-sourced application: aggregates as actors on top of an event store.
//
// Register every aggregate (with its events and commands) and projection first, then send
// commands from any thread. A command is acknowledged only after its events are durable in
// the store; a failed command leaves the aggregate's state unchanged. Errors are values
// (esk::error) naming the aggregate, ID, command and cause.
class runtime {
 public:
  // Starts the actors on `store`. REQUIRES: store != nullptr.
  explicit runtime(std::shared_ptr<event_store> store, runtime_options options = {});

  // Waits for every command already sent to complete, then stops the actors. After stop(),
  // returns promptly.
  ~runtime();

  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  // Registers aggregate type State under `type_name` (streams are "<type_name>-<id>") and
  // returns a builder for its events and commands. Throws std::logic_error on a duplicate.
  template <class State>
  aggregate_builder<State> aggregate(std::string type_name) {
    auto handlers = std::make_shared<detail::typed_aggregate_handlers<State>>();
    handlers->type_name = type_name;
    handlers->events = &events_;
    auto model = std::make_shared<aggregate_model>();
    model->type_name = type_name;
    model->make_instance = [handlers]() -> std::unique_ptr<aggregate_instance> {
      return std::make_unique<detail::typed_aggregate<State>>(handlers);
    };
    add_aggregate(typeid(State), model);
    return aggregate_builder<State>(handlers, model, events_, commands_);
  }

  // Adds a read model (esk/projection.hpp) run on a thread of its own: it catches up from its
  // checkpoint (options.checkpoints; by default it keeps none and starts at the beginning of the
  // log), then follows every commit; options also set its failure policy and how many live
  // events it may lag behind before it reads the store instead. Never blocks. With
  // runtime_options::start_projections false it is only checked and kept idle (never run).
  // Throws std::logic_error when a projection of that name was added before.
  void add_projection(std::shared_ptr<projection> projection, projection_options options = {});

  // As above, for a projection written as handlers per event type (esk/typed_projection.hpp).
  // Throws std::logic_error also when a handler's event type is not registered (register the
  // aggregates first).
  void add_projection(const typed_projection& projection, projection_options options = {});

  // Adds a process manager (esk/process_manager.hpp): run like a typed projection, with its
  // checkpoint in the event store by default (options as add_projection's); after each handler
  // the commands it queued are sent with IDs derived from the event and waited for (up to
  // runtime_options::blocking_timeout each) before the event counts as applied. Never blocks.
  // With runtime_options::start_projections false it is only checked: it sends nothing.
  // Throws std::logic_error as add_projection(const typed_projection&) does.
  void add_process_manager(const process_manager& manager,
                           projection_options options = process_manager_options());

  // The default options of a process manager: its checkpoint in the event store (a restart goes
  // on after the last event whose commands were all answered), and failure_policy::retry(5), so
  // a passing conflict or an unavailable store does not stop it at once.
  static projection_options process_manager_options();

  // Every projection's status (catching up, running, retrying, stopped with its error), position
  // and lag behind the log, in the order they were added. Does not wait for the projections.
  // Errors: store_unavailable (the log's last position cannot be read).
  result<std::vector<projection_status>> projection_statuses();

  // Lets the stopped projection `name` go on from the event it failed at; one that is not
  // stopped is left as it is. Never blocks (sync_projections() waits for it to catch up).
  // Errors: invalid_argument when no projection has that name.
  status restart_projection(const std::string& name);

  // Rebuilds projection `name`: applies the log again from position 1 up to its end as of the
  // call, then goes on following commits; commands keep being served meanwhile. A SQLite read
  // model (checkpoint_location::in_sqlite) is built in a shadow file ("<path>.rebuild") and
  // swapped in with one transaction when complete, so its readers see the old model until then
  // and never a half-built one; other projections are cleared with projection::reset() (a
  // typed_projection's on_reset) and rebuilt in place. A stopped projection may be rebuilt.
  // `progress` is called on the projection's thread after each page. Blocks until done (no
  // timeout: a rebuild takes as long as the log). Do not call from an actor thread.
  // Errors: invalid_argument (no such projection, or one that cannot be reset),
  // store_unavailable, handler_failed (a handler threw: the SQLite model stays the old one),
  // shutting_down.
  status rebuild_projection(const std::string& name, rebuild_progress_callback progress = {});

  // Sends `command` (of a registered command type) and calls `on_done` exactly once, on an
  // actor thread, with the recorded events or the error: unknown_command, invalid_argument
  // (empty aggregate ID), rejected, conflict, handler_failed, store_unavailable, overloaded
  // (max_in_flight commands were in flight: nothing was done), shutting_down (stop() began), ...
  // Never blocks. `on_done` must not block either; if it throws, the exception is reported to
  // runtime_options::log and otherwise ignored (the aggregate keeps serving).
  template <class Command>
  void send(Command command, command_callback on_done, command_options options = {}) {
    send_erased(typeid(Command), std::make_shared<const Command>(std::move(command)),
                std::move(options), std::move(on_done));
  }

  // As send, but the outcome arrives through a future. Never blocks.
  template <class Command>
  std::future<command_result> submit(Command command, command_options options = {}) {
    auto promise = std::make_shared<std::promise<command_result>>();
    auto outcome = promise->get_future();
    send(std::move(command), promise_callback(std::move(promise)), std::move(options));
    return outcome;
  }

  // As send, but blocks until the outcome is known (or the blocking timeout: timeout).
  // overloaded comes at once, without waiting for room: unlike a timeout it says for sure that
  // nothing was done, so the caller can back off and retry.
  // Do not call from an actor thread (a command callback or a projection).
  template <class Command>
  command_result execute(Command command, command_options options = {}) {
    return wait_for(submit(std::move(command), std::move(options)));
  }

  // Sends a command given as JSON: {"type": "CreateUser", "payload": {...}} with optional
  // "command_id", "correlation_id", "causation_id" strings and "expected_version" (a
  // non-negative integer, as command_options::expected_version). Errors besides send's: bad_json
  // (not JSON, wrong envelope shape, over max_json_command_bytes), unknown_command,
  // bad_payload (names the type and the field; unknown fields are rejected). Never blocks.
  // What `overrides` sets (a non-empty ID, an expected version) replaces the envelope's: how a
  // server passes on what arrived beside the JSON (an HTTP If-Match or Idempotency-Key).
  void send_json(std::string_view json_command, command_callback on_done,
                 command_options overrides = {});

  // As send_json, blocking like execute.
  command_result execute_json(std::string_view json_command);

  // A copy of the current state of aggregate State `aggregate_id` with the version of its
  // stream it reflects (version 0 and the empty state when the aggregate has no events: use
  // exists() to tell "not found" apart). Blocks. Errors: unknown_aggregate, invalid_argument
  // (empty ID), store_unavailable, timeout, and the rehydration errors unknown_event /
  // bad_payload.
  template <class State>
  result<versioned<State>> versioned_state(const std::string& aggregate_id) {
    // Shared, not captured by reference: after a timeout the actor may still run the reader.
    auto copy = std::make_shared<std::optional<versioned<State>>>();
    auto visited =
        visit_state(typeid(State), aggregate_id, [copy](const void* state, std::uint64_t version) {
          *copy = versioned<State>{*static_cast<const State*>(state), version};
        });
    if (!visited) return visited.error_value();
    return std::move(**copy);
  }

  // As versioned_state, without the version: the empty state when the aggregate has no
  // events. Blocks. Errors: as versioned_state.
  template <class State>
  result<State> state(const std::string& aggregate_id) {
    auto found = versioned_state<State>(aggregate_id);
    if (!found) return found.error_value();
    return std::move(found->state);
  }

  // The current state of `aggregate_type` `aggregate_id` as JSON text, with its stream
  // version (0 when it has no events). Blocks. Errors: as versioned_state, plus bad_payload
  // if the state type has no JSON mapping.
  result<versioned<std::string>> versioned_state_json(std::string_view aggregate_type,
                                                      const std::string& aggregate_id);

  // As versioned_state_json, without the version. Blocks. Errors: as versioned_state_json.
  result<std::string> state_json(std::string_view aggregate_type, const std::string& aggregate_id);

  // Blocks until every projection has applied every event committed before the call (and saved
  // its checkpoint there). Errors: handler_failed (a projection stopped; while one retries a
  // failed event, this waits for the retries' outcome), store_unavailable, timeout.
  status sync_projections();

  // How many aggregate actors are in memory (live) and how many passivation stopped so far,
  // counted once no passivation is in progress. Blocks. Errors: timeout.
  result<aggregate_counts> count_aggregates();

  // The registered types, for tools and error messages.
  const event_registry& events() const { return events_; }
  const command_registry& commands() const { return commands_; }

  // Stops gracefully: from now on every command (and state read) is answered shutting_down.
  // Waits until the commands in flight are answered, or until `deadline` from now; then stops
  // the aggregate actors and answers each command still in flight shutting_down (one whose
  // append had reached the store may still be recorded: re-read to know). Every command is
  // answered exactly once either way. Blocks, at most a little beyond `deadline`; returns how
  // many commands completed and how many were cut off. Calling it again returns the first
  // report at once; the destructor after it returns promptly. Projections keep running
  // (sync_projections() still works). Do not call from an actor thread.
  stop_report stop(std::chrono::milliseconds deadline);

  // What aggregates with a snapshot policy (aggregate_builder::snapshots) did with snapshots
  // since the runtime started: loaded, ignored (another schema version, or a state that does
  // not decode), written, failed to write. Never blocks.
  snapshot_statistics snapshot_stats() const;

  // How the store actor grouped appends into store transactions (one fsync each) since the
  // runtime started: transactions, appends and events, and a histogram of batch sizes (the
  // group commit at work: under concurrent commands batches grow past 1). Never blocks.
  group_commit_statistics group_commit_stats() const;

  // The gap wait of this process's appends (event_store::gap_waits): how many store
  // transactions waited for other appends' transactions, of this process or another, to end, and
  // how long in all; on PostgreSQL, the wait for the append lock. Zeros on a store of one
  // process. Never blocks.
  gap_wait_statistics gap_waits() const;

  // The store below the runtime, for reading streams and the log.
  event_store& store();

 private:
  void add_aggregate(std::type_index state_type, std::shared_ptr<aggregate_model> model);
  // Hands `projection` to the engine, or keeps only its name when start_projections is false.
  // Throws std::logic_error for a name added before.
  void start_projection(std::shared_ptr<projection> projection, projection_options options);
  void send_erased(std::type_index command_type, std::shared_ptr<const void> command,
                   command_options options, command_callback on_done);
  void dispatch(const command_type_entry& route, std::shared_ptr<const void> command,
                command_options options, command_callback on_done);
  // Runs `reader` inside the aggregate's actor and waits for it. The reader may run after a
  // timeout was returned, so it must own (or share) whatever it writes to.
  // The reader gets the user's state object and the stream version it reflects.
  status visit_state(std::type_index state_type, const std::string& aggregate_id,
                     std::function<void(const void*, std::uint64_t)> reader);
  status visit_state(std::shared_ptr<const aggregate_model> model, const std::string& aggregate_id,
                     std::function<status(const instance_view&)> reader);
  static command_callback promise_callback(std::shared_ptr<std::promise<command_result>> promise);
  command_result wait_for(std::future<command_result> outcome) const;

  runtime_options options_;
  event_registry events_;
  command_registry commands_;
  std::unordered_map<std::type_index, std::shared_ptr<const aggregate_model>> aggregates_by_type_;
  std::unordered_map<std::string, std::shared_ptr<const aggregate_model>> aggregates_by_name_;
  std::unique_ptr<engine> engine_;
  // The names of the projections and process managers added but not started
  // (runtime_options::start_projections false), so a name added twice is refused as always.
  std::vector<std::string> idle_projection_names_;
  // Where process managers send commands; closed first by the destructor, so none sends into
  // an engine being destroyed.
  std::shared_ptr<command_outlet> outlet_;
};

}  // namespace esk
