// User code that runs where nobody awaits its outcome — a command callback, including the
// callback of a command refused before dispatch — may throw anything: the runtime reports it to
// its log sink, and the aggregate actor, the router and shutdown carry on as if it had returned.
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "aggregates/user.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::contains;
using testing::failed_with;
using testing::log_capture;
using testing::succeeded;

struct NeverRegistered {
  std::string user_id;
};
BOOST_DESCRIBE_STRUCT(NeverRegistered, (), (user_id))

class UserCallbacks : public ::testing::Test {
 protected:
  UserCallbacks() { users::register_user(rt); }

  // A callback that signals `ran` and then throws what `thrower` throws.
  template <class Thrower>
  command_callback throwing_after(std::shared_ptr<std::promise<void>> ran, Thrower thrower) {
    return [ran, thrower](command_result) {
      ran->set_value();
      thrower();
    };
  }

  log_capture log;  // declared before the runtime: it must outlive it
  runtime rt{make_memory_store(), testing::logged_to(log)};
};

TEST_F(UserCallbacks, ACallbackThatThrowsLeavesItsAggregateServingTheCommandsQueuedBehindIt) {
  auto ran = std::make_shared<std::promise<void>>();
  rt.send(users::CreateUser{"7", "Grace", "grace@x.org"},
          throwing_after(ran, [] { throw std::runtime_error("caller bug"); }));
  std::vector<std::future<command_result>> behind;
  for (int change = 0; change < 20; ++change)
    behind.push_back(
        rt.submit(users::ChangeEmail{"7", "grace" + std::to_string(change) + "@x.org"}));

  for (auto& outcome : behind) EXPECT_TRUE(succeeded(outcome.get()));
  ran->get_future().get();
  auto user = rt.state<users::User>("7");
  ASSERT_TRUE(succeeded(user));
  EXPECT_EQ(user->email_changes, 20);
  EXPECT_TRUE(log.has_line_with({"the callback of User 7: CreateUser", "caller bug"}));
}

TEST_F(UserCallbacks, ACallbackThatThrowsANonExceptionIsReportedAndIgnored) {
  auto ran = std::make_shared<std::promise<void>>();
  rt.send(users::CreateUser{"8", "Ada", "ada@x.org"}, throwing_after(ran, [] { throw 42; }));
  ran->get_future().get();

  EXPECT_TRUE(succeeded(rt.execute(users::ChangeEmail{"8", "ada@lovelace.org"})));
  EXPECT_TRUE(log.has_line_with({"User 8: CreateUser", "not derived from std::exception"}));
}

TEST_F(UserCallbacks, ARefusedCommandsCallbackThatThrowsLeavesTheRouterServing) {
  auto unknown_ran = std::make_shared<std::promise<void>>();
  auto empty_id_ran = std::make_shared<std::promise<void>>();
  rt.send(NeverRegistered{"1"},
          throwing_after(unknown_ran, [] { throw std::runtime_error("refusal bug"); }));
  rt.send(users::CreateUser{"", "Nobody", "no@x.org"},
          throwing_after(empty_id_ran, [] { throw 7; }));
  unknown_ran->get_future().get();
  empty_id_ran->get_future().get();

  auto created = rt.execute(users::CreateUser{"9", "Edsger", "ewd@x.org"});
  EXPECT_TRUE(succeeded(created));
  EXPECT_TRUE(log.has_line_with({"refused command", "refusal bug"}));
}

TEST_F(UserCallbacks, AStateReadAfterAThrowingCallbackSeesTheCommittedCommand) {
  auto ran = std::make_shared<std::promise<void>>();
  rt.send(users::CreateUser{"10", "Barbara", "barbara@x.org"},
          throwing_after(ran, [] { throw std::logic_error("oops"); }));
  ran->get_future().get();

  auto user = rt.versioned_state<users::User>("10");
  ASSERT_TRUE(succeeded(user));
  EXPECT_EQ(user->version, 1u);
  EXPECT_EQ(user->state.name, "Barbara");
}

// Shutdown waits for every answer; a callback that threw still counts as answered.
TEST(UserCallbacksAtShutdown, ARuntimeWhoseCallbacksThrewStopsWithoutWaitingForever) {
  log_capture log;
  auto rt = std::make_unique<runtime>(make_memory_store(), testing::logged_to(log));
  users::register_user(*rt);
  std::vector<std::shared_ptr<std::promise<void>>> ran;
  for (int user = 0; user < 10; ++user) {
    ran.push_back(std::make_shared<std::promise<void>>());
    rt->send(users::CreateUser{std::to_string(user), "U", "u@x.org"},
             [signal = ran.back()](command_result) {
               signal->set_value();
               throw std::runtime_error("late bug");
             });
  }
  rt->send(NeverRegistered{"x"}, [](command_result) { throw std::runtime_error("refused bug"); });

  rt.reset();  // hangs forever if a throwing callback left its job counted as in flight

  for (auto& signal : ran)
    EXPECT_EQ(signal->get_future().wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_TRUE(log.has_line_with({"refused bug"}));
}

TEST_F(UserCallbacks, AnUnregisteredCommandTypeIsNamedAsWrittenInCpp) {
  auto outcome = rt.execute(NeverRegistered{"1"});

  ASSERT_TRUE(failed_with(outcome, error_kind::unknown_command));
  EXPECT_TRUE(contains(outcome.error_value().message, "NeverRegistered"));
  EXPECT_TRUE(
      contains(outcome.error_value().message, "esk::(anonymous namespace)::NeverRegistered"));
}

}  // namespace
}  // namespace esk
