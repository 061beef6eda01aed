// burst: far more commands sent at once than the store can take, over a store slowed to about
// 1 ms per commit, with the runtime's in-flight bound. Shows that memory stays bounded and that
// every command is answered exactly once (accepted or overloaded).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <esk/esk.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aggregates/user.hpp"
#include "process_memory.hpp"
#include "scratch_store.hpp"
#include "slowed_store.hpp"
#include "user_commands.hpp"
#include "workloads.hpp"

namespace esk::bench {
namespace {

// Counts answers by outcome and notices a command answered twice.
class burst_answers {
 public:
  explicit burst_answers(std::size_t commands) : answered_(commands) {}

  command_callback for_command(std::size_t index) {
    return [this, index](command_result outcome) {
      if (answered_[index].exchange(1) != 0) ++answered_twice_;
      if (outcome)
        ++accepted_;
      else if (outcome.kind() == error_kind::overloaded)
        ++overloaded_;
      else
        note_failure(outcome.error_value());
      if (++total_ == answered_.size()) {
        std::lock_guard<std::mutex> lock{mutex_};
        all_answered_.notify_all();
      }
    };
  }

  // Blocks until every command was answered.
  void wait_for_all() {
    std::unique_lock<std::mutex> lock{mutex_};
    all_answered_.wait(lock, [this] { return total_ == answered_.size(); });
  }

  std::uint64_t accepted() const { return accepted_; }
  std::uint64_t overloaded() const { return overloaded_; }
  std::uint64_t failed() const { return failed_; }
  std::uint64_t answered_twice() const { return answered_twice_; }
  std::string first_failure() const {
    std::lock_guard<std::mutex> lock{mutex_};
    return first_failure_;
  }

 private:
  void note_failure(const error& failure) {
    if (++failed_ != 1) return;
    std::lock_guard<std::mutex> lock{mutex_};
    first_failure_ = std::string(to_string(failure.kind)) + ": " + failure.message;
  }

  std::vector<std::atomic<std::uint8_t>> answered_;
  std::atomic<std::uint64_t> total_{0}, accepted_{0}, overloaded_{0}, failed_{0},
      answered_twice_{0};
  mutable std::mutex mutex_;
  std::condition_variable all_answered_;
  std::string first_failure_;
};

}  // namespace

std::vector<figure> run_burst(const bench_options& options, const std::string& store_name) {
  const std::size_t commands = options.scaled(1000000, 100);
  const std::size_t bound = options.scaled(10000, 10);
  const auto commit_time = std::chrono::milliseconds(1);
  figure row;
  row.name = "burst";
  row.store = store_name;
  row.parameters = "commands=" + std::to_string(commands) +
                   " sent at once, max_in_flight=" + std::to_string(bound) +
                   ", store slowed to 1 ms per commit";
  auto scratch = scratch_store::open(store_name, options, "burst");
  if (!scratch) {
    row.failed = 1;
    row.first_failure = to_string(scratch.error_value().kind).data();
    return {row};
  }
  reset_peak_resident_bytes();
  const std::uint64_t resident_before = resident_bytes();
  burst_answers answers{commands};
  runtime_options runtime_settings{options.threads};
  runtime_settings.max_in_flight = bound;
  auto rt = std::make_unique<runtime>(
      std::make_shared<slowed_store>((*scratch)->store(), commit_time), runtime_settings);
  users::register_user(*rt);

  const auto started = std::chrono::steady_clock::now();
  for (std::size_t index = 0; index < commands; ++index) {
    std::string id = user_id(index);
    std::string email = user_email(id, 0);
    rt->send(users::CreateUser{std::move(id), "User " + std::to_string(index), std::move(email)},
             answers.for_command(index));
  }
  const double send_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  answers.wait_for_all();
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  row.peak_rss_bytes = peak_resident_bytes();
  rt.reset();

  row.operations = commands;
  row.events = answers.accepted();
  row.failed = answers.failed() + answers.answered_twice();
  row.first_failure =
      answers.answered_twice() ? "a command was answered twice" : answers.first_failure();
  row.note =
      "accepted " + std::to_string(answers.accepted()) + ", overloaded " +
      std::to_string(answers.overloaded()) + ", other errors " + std::to_string(answers.failed()) +
      ", answered twice " + std::to_string(answers.answered_twice()) + "; all sent in " +
      std::to_string(send_seconds).substr(0, 5) + " s; peak RSS growth " +
      std::to_string((row.peak_rss_bytes - std::min(row.peak_rss_bytes, resident_before)) >> 20) +
      " MB";
  return {row};
}

}  // namespace esk::bench
