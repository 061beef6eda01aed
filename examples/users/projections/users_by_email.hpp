// A read model: which user holds which email address.
#pragma once

#include <esk/esk.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "events/user_events.hpp"

namespace users {

class UsersByEmail : public esk::projection {
 public:
  std::string name() const override { return "users_by_email"; }

  void apply(const esk::recorded_event& event) override {
    std::lock_guard<std::mutex> lock{mutex_};
    if (event.type == "UserCreated") {
      auto created = esk::decode_payload_text<UserCreated>(event.payload, event.type,
                                                           esk::unknown_fields::ignore);
      if (created) user_by_email_[created->email] = created->user_id;
    } else if (event.type == "UserEmailChanged") {
      auto changed = esk::decode_payload_text<UserEmailChanged>(event.payload, event.type,
                                                                esk::unknown_fields::ignore);
      if (!changed) return;
      for (auto entry = user_by_email_.begin(); entry != user_by_email_.end(); ++entry)
        if (entry->second == changed->user_id) {
          user_by_email_.erase(entry);
          break;
        }
      user_by_email_[changed->email] = changed->user_id;
    }
  }

  // The user ID registered with `email`, if any. Thread-safe.
  std::optional<std::string> find(const std::string& email) const {
    std::lock_guard<std::mutex> lock{mutex_};
    auto found = user_by_email_.find(email);
    if (found == user_by_email_.end()) return std::nullopt;
    return found->second;
  }

  // How many users are indexed. Thread-safe.
  std::size_t size() const {
    std::lock_guard<std::mutex> lock{mutex_};
    return user_by_email_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> user_by_email_;
};

}  // namespace users
