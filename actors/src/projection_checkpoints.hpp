// projection_checkpoints.hpp — where a projection actor keeps its checkpoint, one class per
// checkpoint_location: nowhere (replay from the start), in the event store (at-least-once), or
// in a SQLite read model with the rows (exactly-once: events applied in batches, each batch and
// its checkpoint one transaction).
//
// What must reach the disk: the event log is durable (every append synced), so a checkpoint
// only has to be durable where someone was told the events are applied. In the event store
// (at-least-once) no save is synced: a machine crash may lose the last ones, and the events
// after the surviving checkpoint are delivered again, which at-least-once allows. In a SQLite
// read model, the batches committed in the middle of a run are not synced (a machine crash
// undoes rows and checkpoint together, and they are applied again from the log, once); the
// save at the end of a catch-up, before a sync request is answered, is, and it syncs the
// batches before it with it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "esk/projection_options.hpp"
#include "esk/result.hpp"
#include "esk/store/event_store.hpp"
#include "esk/store/sqlite_read_model.hpp"

namespace esk::actors {

class checkpoint_keeper {
 public:
  virtual ~checkpoint_keeper() = default;

  // The position the projection applied up to in an earlier run (0 = start from position 1).
  // Errors: store_unavailable (the projection retries). Blocks.
  virtual result<std::uint64_t> load() = 0;

  // Runs `apply` as one event of the current batch (opening the batch if needed), giving it the
  // read model's SQL transaction if any; what `apply` wrote is undone when it throws, and the
  // exception propagates. Errors (returned): store_unavailable when no batch can be opened.
  virtual status apply(const std::function<void(sql_transaction*)>& apply) = 0;

  // Saves `position` as the checkpoint (commits the batch). Errors: store_unavailable; see
  // rolled_back_to.
  virtual status save(std::uint64_t position) = 0;

  // As save, without waiting for the disk where the keeper allows it (see the top of this
  // file): a batch in the middle of a run. By default save.
  virtual status save_unsynced(std::uint64_t position) { return save(position); }

  // After a failed save: the position the read model is back at when the failure undid the
  // batch (SQLite), so the events after it must be applied again; nullopt when nothing was
  // undone.
  virtual std::optional<std::uint64_t> rolled_back_to() const { return std::nullopt; }

  // For a rebuild: a keeper of an empty read model of the same kind, built beside this one
  // (SQLite: a shadow file "<path>.rebuild", any stale one removed first), or nullptr when the
  // read model is rebuilt in place (then reset_checkpoint() starts it over). Errors:
  // store_unavailable. Blocks.
  virtual result<std::unique_ptr<checkpoint_keeper>> make_shadow() {
    return std::unique_ptr<checkpoint_keeper>{};
  }

  // Makes what `shadow` (from make_shadow, its batch saved) built this read model, in one
  // transaction, and removes the shadow. REQUIRES: no batch open. Errors: store_unavailable
  // (this read model is unchanged). Blocks.
  virtual status adopt(std::unique_ptr<checkpoint_keeper> shadow) {
    (void)shadow;  // only keepers that make shadows adopt them
    return error{error_kind::invalid_argument, "this read model has no shadow to adopt"};
  }

  // For a rebuild in place: forgets the checkpoint (saves 0). Errors: store_unavailable.
  virtual status reset_checkpoint() { return save(0); }
};

// The keeper for `where`, saving under projection `name` (the store is used for in_event_store).
std::unique_ptr<checkpoint_keeper> make_checkpoint_keeper(const checkpoint_location& where,
                                                          std::string name,
                                                          std::shared_ptr<event_store> store);

}  // namespace esk::actors
