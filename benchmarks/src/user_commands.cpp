#include "user_commands.hpp"

#include <algorithm>

#include "esk/identifiers.hpp"

namespace esk::bench {

std::string user_id(std::size_t index) { return "u" + std::to_string(index); }

std::string user_email(const std::string& user, std::size_t changes) {
  return user + "." + std::to_string(changes) + "@example.org";
}

std::vector<new_event> user_events(const std::string& user, std::size_t first, std::size_t count) {
  std::vector<new_event> events;
  events.reserve(count);
  const std::string command_id = new_unique_id();
  const std::string recorded_at = utc_timestamp_now();
  for (std::size_t i = first; i < first + count; ++i) {
    const bool created = i == 0;
    std::string payload =
        created ? R"({"user_id":")" + user + R"(","name":"User )" + user + R"(","email":")" +
                      user_email(user, 0) + "\"}"
                : R"({"user_id":")" + user + R"(","email":")" + user_email(user, i) + "\"}";
    events.push_back({created ? "UserCreated" : "UserEmailChanged",
                      std::move(payload),
                      {new_unique_id(), command_id, command_id, command_id, recorded_at}});
  }
  return events;
}

bool write_user_stream(event_store& store, const std::string& user, std::size_t count) {
  constexpr std::size_t per_transaction = 256;
  for (std::size_t written = 0; written < count;) {
    const std::size_t chunk = std::min(per_transaction, count - written);
    append_request request{"User-" + user, written, user_events(user, written, chunk)};
    if (!store.append(request)) return false;
    written += chunk;
  }
  return true;
}

}  // namespace esk::bench
