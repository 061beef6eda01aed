// A projection actor: feeds one user projection every committed event exactly once, in
// position order. Live commits come from the store actor; anything missed (events committed
// before it subscribed, or by another process) is read from the store to fill the gap.
//
// It never skips a position: when the read that fills a gap fails, the projection stays at
// its last applied event, drops the live events beyond the gap (they are in the store) and
// retries the read with a bounded backoff until it succeeds.
#pragma once

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "esk/error.hpp"
#include "esk/log_sink.hpp"
#include "esk/projection.hpp"
#include "esk/store/event_store.hpp"

namespace esk::actors {

// How long a projection waits before reading the log again after a failed read: doubling
// from the first delay up to the last.
struct read_retry_backoff {
  std::chrono::milliseconds first{10};
  std::chrono::milliseconds last{1000};
};

struct projection_actor_state {
  std::shared_ptr<projection> user_projection;
  std::shared_ptr<event_store> store;
  std::shared_ptr<const log_sink> log;  // never null (an empty sink = stderr)
  read_retry_backoff backoff;
  std::uint64_t next_position = 1;           // the first position not applied yet
  std::uint64_t known_last = 0;              // the highest committed position it knows of
  std::optional<error> failure;              // set once the projection threw; it stops there
  std::optional<error> read_failure;         // the last failed read, until a read succeeds again
  std::chrono::milliseconds retry_delay{0};  // the next retry's delay; 0 = none scheduled
  static inline const char* name = "esk.projection";
};

// Accepts committed_events, catch_up_atom (read the log up to its end), sync_message (answered
// with the handler's failure, store_unavailable while the log cannot be read, or success).
caf::behavior projection_actor(caf::stateful_actor<projection_actor_state>* self,
                               std::shared_ptr<projection> user_projection,
                               std::shared_ptr<event_store> store,
                               std::shared_ptr<const log_sink> log);

}  // namespace esk::actors
