#include "esk/store/open_store.hpp"

#include "esk/store/postgres_store.hpp"
#include "esk/store/sqlite_store.hpp"
#include "postgres_connection.hpp"

namespace esk {

result<std::shared_ptr<event_store>> open_store(const std::string& location,
                                                const store_access& access) {
  if (is_postgres_location(location)) {
    postgres_options options;
    options.create_if_missing = access.create_if_missing;
    options.read_only = access.read_only;
    return open_postgres_store(location, options);
  }
  sqlite_options options;
  options.create_if_missing = access.create_if_missing;
  options.read_only = access.read_only;
  return open_sqlite_store(location, options);
}

std::string shown_location(const std::string& location) {
  return is_postgres_location(location) ? redact_password(location) : location;
}

}  // namespace esk
