// scratch_store.hpp — a fresh, empty store for one measurement, removed afterwards.
#pragma once

#include <memory>
#include <string>

#include "esk/result.hpp"
#include "esk/store/event_store.hpp"

namespace esk::bench {

// Owns a store named "memory" or "sqlite". A SQLite store lives in a new file
// `<directory>/esk-bench-<label>-<pid>.db` (durable: WAL, synchronous=FULL), deleted with its
// WAL and shared-memory files when the scratch_store is destroyed. Keep it alive longer than
// anything that uses its store (declare it before the runtime).
class scratch_store {
 public:
  // Errors: invalid_argument for an unknown name, store_unavailable/incompatible_store
  // from the SQLite backend. Blocks while opening.
  static result<std::unique_ptr<scratch_store>> open(const std::string& name,
                                                     const std::string& directory,
                                                     const std::string& label);
  ~scratch_store();
  scratch_store(const scratch_store&) = delete;
  scratch_store& operator=(const scratch_store&) = delete;

  const std::shared_ptr<event_store>& store() const { return store_; }

 private:
  scratch_store(std::shared_ptr<event_store> store, std::string path)
      : store_(std::move(store)), path_(std::move(path)) {}

  std::shared_ptr<event_store> store_;
  std::string path_;  // empty for the memory store
};

}  // namespace esk::bench
