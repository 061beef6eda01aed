// LISTEN esk_commits on a connection of its own; poll(2) on its socket (and on a pipe that
// interrupt() writes to) until a notification of this store's schema arrives or the time is up.
#include "esk/store/postgres_commit_listener.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "postgres_connection.hpp"

namespace esk {
namespace {

// A pipe whose read end becomes readable, for good, once poke() wrote to it.
class wake_pipe {
 public:
  wake_pipe() {
    if (::pipe2(ends_.data(), O_CLOEXEC | O_NONBLOCK) != 0) ends_ = {-1, -1};
  }
  ~wake_pipe() {
    for (int end : ends_)
      if (end >= 0) ::close(end);
  }
  wake_pipe(const wake_pipe&) = delete;
  wake_pipe& operator=(const wake_pipe&) = delete;

  bool ok() const { return ends_[0] >= 0; }
  int readable_end() const { return ends_[0]; }
  void poke() const {
    const char byte = 1;
    // A full pipe is already readable, which is all a poke is for.
    [[maybe_unused]] auto written = ::write(ends_[1], &byte, 1);
  }

 private:
  std::array<int, 2> ends_{-1, -1};
};

class listener final : public commit_listener {
 public:
  listener(std::unique_ptr<postgres_connection> connection, std::string schema,
           std::string described_as)
      : connection_(std::move(connection)),
        schema_prefix_(std::move(schema) + " "),
        described_as_(std::move(described_as)) {}

  bool ready() const { return wake_.ok(); }

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
      std::array<pollfd, 2> watched{pollfd{PQsocket(connection_->handle()), POLLIN, 0},
                                    pollfd{wake_.readable_end(), POLLIN, 0}};
      if (watched[0].fd < 0) return broken();
      const int ready = ::poll(watched.data(), watched.size(),
                               static_cast<int>(std::min<long long>(left.count(), 60000)));
      if (ready > 0 && (watched[1].revents & POLLIN)) return std::optional<std::uint64_t>{};
    }
  }

  void interrupt() override { wake_.poke(); }

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
  wake_pipe wake_;
};

}  // namespace

result<std::unique_ptr<commit_listener>> listen_for_postgres_commits(
    const std::string& connection_string) {
  const std::string described_as = redact_password(connection_string);
  auto connection = postgres_connection::connect(connection_string, described_as);
  if (!connection) return connection.error_value();
  auto schema = (*connection)->run("SELECT current_schema()");
  if (!schema) return schema.error_value();
  auto listening = (*connection)->run("LISTEN esk_commits");
  if (!listening) return listening.error_value();
  auto opened =
      std::make_unique<listener>(std::move(*connection), schema->text(0, 0), described_as);
  if (!opened->ready()) {
    return error{error_kind::store_unavailable, "cannot listen for commits to '" + described_as +
                                                    "': no pipe: " + std::strerror(errno)};
  }
  return std::unique_ptr<commit_listener>(std::move(opened));
}

}  // namespace esk
