// Backpressure: at most runtime_options::max_in_flight commands are in flight; every command
// beyond the bound is answered overloaded at once (nothing done), and every command, admitted
// or not, is answered exactly once. Appends are held by the store until the test releases them,
// so what is in flight is exact and nothing depends on timing.
#include <gtest/gtest.h>

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

using testing::answer_log;
using testing::failed_with;
using testing::held_appends_store;
using testing::succeeded;

users::CreateUser create_user(std::size_t index) {
  const auto id = std::to_string(index);
  return {id, "user " + id, "u" + id + "@x.org"};
}

class Backpressure : public ::testing::Test {
 protected:
  // A runtime over the held store, with at most `max_in_flight` commands in flight.
  void start(std::size_t max_in_flight) {
    runtime_options options;
    options.worker_threads = 4;  // the store actor may block one in a held append
    options.max_in_flight = max_in_flight;
    rt = std::make_unique<runtime>(store, options);
    users::register_user(*rt);
  }
  ~Backpressure() override { store->release(); }  // before the runtime waits for its commands

  std::shared_ptr<held_appends_store> store =
      std::make_shared<held_appends_store>(make_memory_store());
  std::unique_ptr<runtime> rt;
};

TEST_F(Backpressure, CommandsBeyondTheBoundAreAnsweredOverloadedAndEveryOtherOneSucceeds) {
  constexpr std::size_t bound = 300, senders = 4, per_sender = 250;
  constexpr std::size_t commands = senders * per_sender;
  start(bound);
  answer_log answers{commands};

  std::vector<std::thread> threads;
  for (std::size_t sender = 0; sender < senders; ++sender)
    threads.emplace_back([&, sender] {
      for (std::size_t i = sender * per_sender; i < (sender + 1) * per_sender; ++i)
        rt->send(create_user(i), answers.for_command(i));
    });
  for (auto& thread : threads) thread.join();
  // Nothing can complete while appends are held: exactly the commands beyond the bound are
  // answered, all overloaded.
  ASSERT_TRUE(answers.wait_for_answers(commands - bound));
  EXPECT_EQ(answers.outcomes(),
            (std::map<std::string, std::size_t>{{"overloaded", commands - bound}}));

  store->release();
  ASSERT_TRUE(answers.wait_for_answers(commands));
  EXPECT_EQ(answers.times_answered(), (std::map<int, std::size_t>{{1, commands}}));
  EXPECT_EQ(answers.outcomes(), (std::map<std::string, std::size_t>{
                                    {"overloaded", commands - bound}, {"success", bound}}));
  EXPECT_EQ(store->read_all(0, commands)->size(), bound);  // refused commands did nothing
}

TEST_F(Backpressure, AnOverloadedCommandIsNamedAndRoomComesBackOnceCommandsComplete) {
  start(2);
  auto first = rt->submit(create_user(1));
  auto second = rt->submit(create_user(2));

  auto refused = rt->submit(create_user(3)).get();
  ASSERT_TRUE(failed_with(refused, error_kind::overloaded));
  EXPECT_TRUE(testing::contains(refused.error_value().message, "User 3: CreateUser"));
  EXPECT_TRUE(testing::contains(refused.error_value().message, "max_in_flight"));

  store->release();
  EXPECT_TRUE(succeeded(first.get()));
  EXPECT_TRUE(succeeded(second.get()));
  EXPECT_TRUE(succeeded(rt->execute(create_user(3))));
}

TEST_F(Backpressure, ExecuteAnswersOverloadedAtOnceRatherThanWaitingForRoom) {
  runtime_options options;
  options.worker_threads = 4;
  options.max_in_flight = 1;
  options.blocking_timeout = std::chrono::minutes(10);  // waiting for room would hang the test
  rt = std::make_unique<runtime>(store, options);
  users::register_user(*rt);
  auto held = rt->submit(create_user(1));

  EXPECT_TRUE(failed_with(rt->execute(create_user(2)), error_kind::overloaded));
  store->release();
  EXPECT_TRUE(succeeded(held.get()));
}

TEST_F(Backpressure, ABoundOfZeroAdmitsEveryCommand) {
  constexpr std::size_t commands = 500;
  start(0);
  answer_log answers{commands};
  for (std::size_t i = 0; i < commands; ++i) rt->send(create_user(i), answers.for_command(i));

  store->release();
  ASSERT_TRUE(answers.wait_for_answers(commands));
  EXPECT_EQ(answers.outcomes(), (std::map<std::string, std::size_t>{{"success", commands}}));
}

}  // namespace
}  // namespace esk
