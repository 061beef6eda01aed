// runtime::stop(deadline): once it begins, new commands and state reads are answered
// shutting_down; commands in flight complete, or are answered shutting_down when the deadline
// passes; every command is answered exactly once, and the report says what happened.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "aggregates/user.hpp"
#include "answer_log.hpp"
#include "held_appends_store.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using namespace std::chrono_literals;
using testing::answer_log;
using testing::failed_with;
using testing::held_appends_store;
using testing::succeeded;

// Command `index` of a run over `users` users: each user's first command creates it, the
// following ones change its email (each one to a new address, so each records an event).
template <class Send>
void send_user_command(std::size_t index, std::size_t users, Send&& send) {
  const auto id = std::to_string(index % users);
  if (index < users) return send(users::CreateUser{id, "user " + id, "u" + id + "@x.org"});
  send(users::ChangeEmail{id, "u" + id + "." + std::to_string(index) + "@x.org"});
}

runtime_options with_threads() {
  runtime_options options;
  options.worker_threads = 4;  // the store actor may block one in a held append
  return options;
}

TEST(Stop, WithNothingPendingItReturnsAtOnceAndLaterCommandsAndReadsAreShuttingDown) {
  runtime rt{make_memory_store()};
  users::register_user(rt);
  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"1", "Ada", "ada@x.org"})));

  const auto report = rt.stop(10s);
  // The executed command may still count as in flight while its callback returns.
  EXPECT_LE(report.in_flight_at_stop, 1u);
  EXPECT_EQ(report.completed, report.in_flight_at_stop);
  EXPECT_EQ(report.answered_shutting_down, 0u);
  EXPECT_FALSE(report.deadline_passed);

  auto refused = rt.execute(users::ChangeEmail{"1", "ada@lovelace.org"});
  ASSERT_TRUE(failed_with(refused, error_kind::shutting_down));
  EXPECT_TRUE(testing::contains(refused.error_value().message, "User 1: ChangeEmail"));
  EXPECT_TRUE(failed_with(rt.state<users::User>("1"), error_kind::shutting_down));
  EXPECT_EQ(rt.store().read_all(0, 10)->size(), 1u);  // the refused command did nothing
}

TEST(Stop, CalledTwiceTheSecondCallReturnsTheFirstReportAndTheRuntimeStillDestroys) {
  auto store = std::make_shared<held_appends_store>(make_memory_store());
  auto rt = std::make_unique<runtime>(store, with_threads());
  users::register_user(*rt);
  auto held = rt->submit(users::CreateUser{"1", "Ada", "ada@x.org"});

  const auto first = rt->stop(10ms);
  const auto second = rt->stop(10s);
  EXPECT_EQ(second.in_flight_at_stop, first.in_flight_at_stop);
  EXPECT_EQ(second.answered_shutting_down, 1u);
  EXPECT_TRUE(second.deadline_passed);
  EXPECT_TRUE(failed_with(held.get(), error_kind::shutting_down));
  store->release();  // the store actor is still in the held append; let the destructor end
  rt.reset();
}

TEST(Stop, AtItsDeadlineEveryCommandStillInFlightIsAnsweredShuttingDownOnce) {
  constexpr std::size_t users_count = 10, commands = 50;
  auto store = std::make_shared<held_appends_store>(make_memory_store());
  answer_log answers{commands};  // declared before the runtime: it must outlive it
  auto rt = std::make_unique<runtime>(store, with_threads());
  users::register_user(*rt);
  for (std::size_t i = 0; i < commands; ++i)
    send_user_command(i, users_count,
                      [&](auto command) { rt->send(std::move(command), answers.for_command(i)); });

  const auto report = rt->stop(20ms);  // appends are held: nothing can complete
  EXPECT_TRUE(report.deadline_passed);
  EXPECT_EQ(report.in_flight_at_stop, commands);
  EXPECT_EQ(report.answered_shutting_down, commands);
  EXPECT_EQ(report.completed, 0u);
  // stop() returns once every command in flight has been answered, callbacks included.
  EXPECT_EQ(answers.times_answered(), (std::map<int, std::size_t>{{1, commands}}));
  EXPECT_EQ(answers.outcomes(), (std::map<std::string, std::size_t>{{"shutting_down", commands}}));
  EXPECT_TRUE(failed_with(rt->execute(users::CreateUser{"new", "N", "n@x.org"}),
                          error_kind::shutting_down));
  store->release();
  rt.reset();
}

TEST(Stop, AStateReadLeftWaitingAtTheDeadlineIsDroppedWithoutHoldingUpTheDestructor) {
  auto store = std::make_shared<held_appends_store>(make_memory_store());
  auto options = with_threads();
  options.blocking_timeout = 20ms;
  auto rt = std::make_unique<runtime>(store, options);
  users::register_user(*rt);
  auto held = rt->submit(users::CreateUser{"1", "Ada", "ada@x.org"});
  // The read times out, and its reader stays queued in the aggregate behind the held command.
  EXPECT_TRUE(failed_with(rt->state<users::User>("1"), error_kind::timeout));

  const auto report = rt->stop(20ms);
  EXPECT_EQ(report.answered_shutting_down, 1u);
  EXPECT_TRUE(failed_with(held.get(), error_kind::shutting_down));
  store->release();
  rt.reset();  // returns: the dropped reader no longer counts as work in flight
}

TEST(Stop, WhileCommandsFlowEachIsAnsweredOnceWithItsOutcomeOrShuttingDown) {
  constexpr std::size_t senders = 4, per_sender = 5000, users_count = 64;
  constexpr std::size_t commands = senders * per_sender;
  auto store = make_memory_store();
  answer_log answers{commands};
  auto rt = std::make_unique<runtime>(store, with_threads());
  users::register_user(*rt);

  // Each sender sends its users' commands (so each user's commands keep their order) until
  // it has sent them all; the stop begins once a tenth of all commands were answered.
  std::vector<std::thread> threads;
  std::atomic<std::size_t> sent{0};
  for (std::size_t sender = 0; sender < senders; ++sender)
    threads.emplace_back([&, sender] {
      for (std::size_t i = sender; i < commands; i += senders) {
        send_user_command(i, users_count, [&](auto command) {
          rt->send(std::move(command), answers.for_command(i));
        });
        ++sent;
      }
    });
  ASSERT_TRUE(answers.wait_for_answers(commands / 10));
  const auto report = rt->stop(30s);
  for (auto& thread : threads) thread.join();

  ASSERT_TRUE(answers.wait_for_answers(commands));
  EXPECT_EQ(answers.times_answered(), (std::map<int, std::size_t>{{1, commands}}));
  auto outcomes = answers.outcomes();
  EXPECT_EQ(outcomes["success"] + outcomes["shutting_down"], commands) << "other outcomes seen";
  EXPECT_FALSE(report.deadline_passed);
  EXPECT_EQ(report.completed, report.in_flight_at_stop);
  EXPECT_EQ(report.answered_shutting_down, 0u);
  // Only the commands refused at the door got shutting_down; every success was recorded, and
  // nothing else was.
  EXPECT_EQ(store->read_all(0, commands)->size(), outcomes["success"]);
  EXPECT_TRUE(failed_with(rt->execute(users::CreateUser{"late", "L", "l@x.org"}),
                          error_kind::shutting_down));
  rt.reset();  // after stop(), the destructor returns promptly
}

}  // namespace
}  // namespace esk
