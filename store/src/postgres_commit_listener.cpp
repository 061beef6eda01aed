// LISTEN esk_commits on a connection of its own; poll(2) on its socket until a notification of
// this store's schema arrives or the time is up.
#include "esk/store/postgres_commit_listener.hpp"

#include <poll.h>

#include <algorithm>
#include <cstdlib>

#include "postgres_connection.hpp"

namespace esk {
namespace {

class listener final : public postgres_commit_listener {
 public:
  listener(std::unique_ptr<postgres_connection> connection, std::string schema,
           std::string described_as)
      : connection_(std::move(connection)),
        schema_prefix_(std::move(schema) + " "),
        described_as_(std::move(described_as)) {}

  result<std::optional<std::uint64_t>> wait_for_commits(
      std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::optional<std::uint64_t> highest;
    for (;;) {
      if (!PQconsumeInput(connection_->handle())) return broken();
      take_notifications(highest);
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (highest || left.count() <= 0) return highest;
      pollfd socket{PQsocket(connection_->handle()), POLLIN, 0};
      if (socket.fd < 0) return broken();
      ::poll(&socket, 1, static_cast<int>(std::min<long long>(left.count(), 60000)));
    }
  }

 private:
  void take_notifications(std::optional<std::uint64_t>& highest) {
    while (PGnotify* notice = PQnotifies(connection_->handle())) {
      const std::string text = notice->extra;
      PQfreemem(notice);
      // Other stores in the database (other schemas) announce on the same channel.
      if (text.rfind(schema_prefix_, 0) != 0) continue;
      const auto position = std::strtoull(text.c_str() + schema_prefix_.size(), nullptr, 10);
      highest = std::max(highest.value_or(0), static_cast<std::uint64_t>(position));
    }
  }

  error broken() const {
    return {error_kind::store_unavailable, "lost the connection listening for commits to '" +
                                               described_as_ +
                                               "': " + PQerrorMessage(connection_->handle())};
  }

  std::unique_ptr<postgres_connection> connection_;
  const std::string schema_prefix_;
  const std::string described_as_;
};

}  // namespace

result<std::unique_ptr<postgres_commit_listener>> listen_for_postgres_commits(
    const std::string& connection_string) {
  const std::string described_as = redact_password(connection_string);
  auto connection = postgres_connection::connect(connection_string, described_as);
  if (!connection) return connection.error_value();
  auto schema = (*connection)->run("SELECT current_schema()");
  if (!schema) return schema.error_value();
  auto listening = (*connection)->run("LISTEN esk_commits");
  if (!listening) return listening.error_value();
  return std::unique_ptr<postgres_commit_listener>(
      new listener(std::move(*connection), schema->text(0, 0), described_as));
}

}  // namespace esk
