// postgres_store_hooks.hpp — a seam for tests: pause an append between its work and its
// commit, so a test can hold a transaction open as a slow writer would. Internal to store/.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "esk/store/postgres_store.hpp"

namespace esk {

struct postgres_store_hooks {
  // Called inside each append's transaction after the events are written, before COMMIT (the
  // append then runs as BEGIN, the append function, the hook, COMMIT: three round trips).
  std::function<void()> before_commit;
};

// open_postgres_store with hooks.
result<std::shared_ptr<event_store>> open_postgres_store_with_hooks(
    const std::string& connection_string, const postgres_options& options,
    postgres_store_hooks hooks);

}  // namespace esk
