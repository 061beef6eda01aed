// answer_log.hpp — records the answer to each of many numbered commands, so a test can check
// that every command was answered exactly once and with what.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "esk/result.hpp"
#include "esk/runtime.hpp"

namespace esk::testing {

class answer_log {
 public:
  // Room for commands numbered 0 .. commands - 1.
  explicit answer_log(std::size_t commands) : answers_(commands) {}

  // The callback for command `index`: records its outcome (as the error kind, or nullopt for
  // success). The log must outlive every answer.
  command_callback for_command(std::size_t index) {
    return [this, index](command_result outcome) {
      std::lock_guard<std::mutex> lock{mutex_};
      auto& answer = answers_.at(index);
      ++answer.times;
      if (!outcome) answer.kind = outcome.kind();
      ++answered_;
      changed_.notify_all();
    };
  }

  // Blocks until at least `count` answers arrived, or 60 s passed. Returns whether they did.
  bool wait_for_answers(std::size_t count) {
    std::unique_lock<std::mutex> lock{mutex_};
    return changed_.wait_for(lock, std::chrono::seconds(60), [&] { return answered_ >= count; });
  }

  // How many commands were answered 0 times, once, twice, ...: {1: n} when each of n commands
  // was answered exactly once.
  std::map<int, std::size_t> times_answered() const {
    std::lock_guard<std::mutex> lock{mutex_};
    std::map<int, std::size_t> histogram;
    for (const auto& answer : answers_) ++histogram[answer.times];
    return histogram;
  }

  // How many answers were each outcome: "success" or an error kind's name.
  std::map<std::string, std::size_t> outcomes() const {
    std::lock_guard<std::mutex> lock{mutex_};
    std::map<std::string, std::size_t> counts;
    for (const auto& answer : answers_)
      if (answer.times > 0)
        ++counts[answer.kind ? std::string(to_string(*answer.kind)) : std::string("success")];
    return counts;
  }

  // The outcome of command `index`: "success", an error kind's name, or "unanswered".
  std::string outcome_of(std::size_t index) const {
    std::lock_guard<std::mutex> lock{mutex_};
    const auto& answer = answers_.at(index);
    if (answer.times == 0) return "unanswered";
    return answer.kind ? std::string(to_string(*answer.kind)) : std::string("success");
  }

 private:
  struct answer {
    int times = 0;
    std::optional<error_kind> kind;
  };
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<answer> answers_;
  std::size_t answered_ = 0;
};

}  // namespace esk::testing
