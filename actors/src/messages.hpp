// Messages exchanged between the engine's actors. All are local-only (never serialized),
// passed as shared pointers so a message is never deep-copied.
#pragma once

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "command_job.hpp"
#include "esk/actors/aggregate_counts.hpp"
#include "esk/actors/aggregate_model.hpp"
#include "esk/projection_options.hpp"
#include "esk/store/event_store.hpp"
#include "projection_feed.hpp"

namespace esk::actors {

// Router/aggregate: run this command.
using command_message = std::shared_ptr<command_job>;

// Router: answer this job with this error at once (a command refused before dispatch; the
// answer still arrives on an actor thread, as every callback does).
struct refused_command {
  command_callback on_done;
  error cause;
};
using refused_message = std::shared_ptr<refused_command>;

// Router/aggregate: call the visitor with the hydrated instance.
struct visit_request {
  std::shared_ptr<const aggregate_model> aggregate;
  std::string aggregate_id;
  instance_visitor visitor;
};
using visit_message = std::shared_ptr<visit_request>;

// Engine -> router: call `done` with the aggregate counts once no passivation is in progress.
struct count_request {
  std::function<void(aggregate_counts)> done;
};
using count_message = std::shared_ptr<count_request>;

// Aggregate -> store actor: append these events; the reply (append_reply) is the same object
// with its outcome set, so an append costs one allocation for both ways. The store actor takes
// the request out before it commits: a reply carries no request.
struct append_exchange {
  append_request request;
  command_result outcome{std::vector<recorded_event>{}};
};
using append_message = std::shared_ptr<append_exchange>;
using append_reply = append_message;

// Store actor -> projection actors: these events were just committed, in position order.
using committed_events = std::shared_ptr<const std::vector<recorded_event>>;

// Engine -> store actor: send the commits to this projection actor, through this feed (which
// bounds how many it has been sent and not yet applied).
struct projection_subscription {
  caf::actor projection;
  std::shared_ptr<live_feed> feed;
};
using subscribe_message = std::shared_ptr<const projection_subscription>;

// Engine -> projection actor: call `done` once every event up to `position` is applied.
struct sync_request {
  std::uint64_t position;
  std::function<void(status)> done;
};
using sync_message = std::shared_ptr<sync_request>;

// Engine -> projection actor: rebuild from position 1 (see engine::rebuild_projection), calling
// `progress` after each page and `done` once with the outcome.
struct rebuild_request {
  rebuild_progress_callback progress;
  std::function<void(status)> done;
};
using rebuild_message = std::shared_ptr<rebuild_request>;

using flush_atom = caf::atom_constant<caf::atom("flush")>;
using catch_up_atom = caf::atom_constant<caf::atom("catch_up")>;
using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
// Store actor -> projection actor: commits were not sent (it is too far behind): read the store.
using behind_atom = caf::atom_constant<caf::atom("behind")>;
// Engine's commit follower -> projection actor: the store announced commits (maybe by another
// process) up to its feed's `announced` position: read the store up to there.
using commits_announced_atom = caf::atom_constant<caf::atom("announced")>;
// Projection actor -> itself: apply the event its handler failed at again (failure_policy).
using retry_event_atom = caf::atom_constant<caf::atom("retry_evt")>;
// Engine -> projection actor: a stopped projection goes on from the event it failed at.
using restart_atom = caf::atom_constant<caf::atom("restart")>;
// Router -> aggregate: stop if idle (answers true and stops, or false while it has work).
using passivate_atom = caf::atom_constant<caf::atom("passivate")>;
// Aggregate -> router: I am idle and have no events, or refused a passivation; passivate me.
using idle_aggregate_atom = caf::atom_constant<caf::atom("idle_agg")>;
// Router -> itself: look for idle aggregate actors.
using sweep_atom = caf::atom_constant<caf::atom("sweep")>;

}  // namespace esk::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::command_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::visit_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::refused_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::append_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::committed_events)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::sync_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::rebuild_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::subscribe_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(esk::actors::count_message)
