#include "projection_checkpoints.hpp"

#include <cstdio>
#include <utility>

namespace esk::actors {
namespace {

// No checkpoint: the read model lives in memory and is rebuilt from position 1 at each start.
class no_checkpoint final : public checkpoint_keeper {
 public:
  result<std::uint64_t> load() override { return 0; }
  status apply(const std::function<void(sql_transaction*)>& apply) override {
    apply(nullptr);
    return {};
  }
  status save(std::uint64_t) override { return {}; }
  status reset_checkpoint() override { return {}; }
};

// At-least-once: the checkpoint is saved in the event store after the events were applied,
// never synced (a lost one means redelivery, which at-least-once allows).
class event_store_checkpoint final : public checkpoint_keeper {
 public:
  event_store_checkpoint(std::string name, std::shared_ptr<event_store> store)
      : name_(std::move(name)), store_(std::move(store)) {}

  result<std::uint64_t> load() override { return store_->read_checkpoint(name_); }
  status apply(const std::function<void(sql_transaction*)>& apply) override {
    apply(nullptr);
    return {};
  }
  status save(std::uint64_t position) override {
    return store_->save_checkpoint_unsynced(name_, position);
  }

 private:
  const std::string name_;
  const std::shared_ptr<event_store> store_;
};

// Exactly-once: rows and checkpoint in one SQLite transaction per batch.
class sqlite_checkpoint final : public checkpoint_keeper {
 public:
  sqlite_checkpoint(std::string name, checkpoint_location where)
      : name_(std::move(name)), where_(std::move(where)) {}

  ~sqlite_checkpoint() override {
    if (model_) model_->rollback();  // an unsaved batch: applied again at the next start
  }

  result<std::uint64_t> load() override {
    if (!model_) {
      auto opened = sqlite_read_model::open(where_.sqlite_path, where_.sqlite_schema);
      if (!opened) return opened.error_value();
      model_ = std::move(*opened);
    }
    auto found = model_->checkpoint(name_);
    if (found) committed_ = *found;
    return found;
  }

  status apply(const std::function<void(sql_transaction*)>& apply) override {
    if (!in_batch_) {
      if (auto begun = model_->begin(); !begun) return begun;
      in_batch_ = true;
    }
    model_->apply_undoable([&] { apply(&model_->transaction()); });
    return {};
  }

  status save(std::uint64_t position) override { return commit(position, true); }
  status save_unsynced(std::uint64_t position) override { return commit(position, false); }

  std::optional<std::uint64_t> rolled_back_to() const override { return committed_; }

  result<std::unique_ptr<checkpoint_keeper>> make_shadow() override {
    checkpoint_location shadow = where_;
    shadow.sqlite_path = where_.sqlite_path + ".rebuild";
    remove_sqlite_files(shadow.sqlite_path);  // a rebuild cut short earlier starts over
    auto keeper = std::make_unique<sqlite_checkpoint>(name_, std::move(shadow));
    if (auto opened = keeper->load(); !opened) return opened.error_value();
    return std::unique_ptr<checkpoint_keeper>(std::move(keeper));
  }

  status adopt(std::unique_ptr<checkpoint_keeper> shadow) override {
    auto* built = dynamic_cast<sqlite_checkpoint*>(shadow.get());
    if (!built) return checkpoint_keeper::adopt(std::move(shadow));
    const std::string shadow_path = built->where_.sqlite_path;
    const std::uint64_t built_to = built->committed_;
    shadow.reset();  // closes the shadow file, so its WAL is folded in
    auto replaced = model_->replace_tables_from(shadow_path, name_);
    if (replaced) {
      committed_ = built_to;
      remove_sqlite_files(shadow_path);
    }
    return replaced;
  }

  status reset_checkpoint() override {
    return error{error_kind::invalid_argument, "a SQLite read model is rebuilt in a shadow file"};
  }

 private:
  // Commits the batch (an empty one when none is open) at `position`, then syncs it when asked.
  // A failed sync undoes nothing: rolled_back_to() is then `position`, so the projection reads
  // on after it, applying nothing twice.
  status commit(std::uint64_t position, bool synced) {
    if (!in_batch_) {
      if (auto begun = model_->begin(); !begun) return begun;
    }
    in_batch_ = false;
    auto committed = model_->commit_unsynced(name_, position);
    if (!committed) return committed;
    committed_ = position;
    return synced ? model_->sync() : status{};
  }

  static void remove_sqlite_files(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::remove((path + suffix).c_str());  // absent files are fine
  }

  const std::string name_;
  const checkpoint_location where_;
  std::unique_ptr<sqlite_read_model> model_;  // opened by the first load()
  bool in_batch_ = false;
  std::uint64_t committed_ = 0;  // the checkpoint of the last commit
};

}  // namespace

std::unique_ptr<checkpoint_keeper> make_checkpoint_keeper(const checkpoint_location& where,
                                                          std::string name,
                                                          std::shared_ptr<event_store> store) {
  switch (where.where) {
    case checkpoint_location::kind::event_store:
      return std::make_unique<event_store_checkpoint>(std::move(name), std::move(store));
    case checkpoint_location::kind::sqlite:
      return std::make_unique<sqlite_checkpoint>(std::move(name), where);
    case checkpoint_location::kind::none:
      break;
  }
  return std::make_unique<no_checkpoint>();
}

}  // namespace esk::actors
