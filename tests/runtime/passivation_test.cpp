// Passivation: the router stops aggregate actors beyond the live cap (least recently used
// first), idle ones, and those whose aggregate has no events; the next command respawns and
// rehydrates them transparently, and commands racing a passivation arrive once, in order.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "aggregates/user.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::sqlite_backend;
using testing::succeeded;

runtime_options with_cap(std::size_t max_live) {
  runtime_options options;
  options.max_live_aggregates = max_live;
  options.passivate_after = std::chrono::milliseconds{0};
  return options;
}

void create_user(runtime& rt, const std::string& id) {
  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{id, "User " + id, id + "@x.org"})));
}

TEST(Passivation, AStateReadOfAnIdWithoutEventsLeavesNoActorBehind) {
  runtime rt{make_memory_store(), with_cap(0)};
  users::register_user(rt);

  auto missing = rt.versioned_state<users::User>("nobody");
  auto counts = rt.count_aggregates();

  ASSERT_TRUE(succeeded(missing));
  EXPECT_FALSE(missing->exists());
  ASSERT_TRUE(succeeded(counts));
  EXPECT_EQ(counts->live, 0u);
  EXPECT_EQ(counts->passivated, 1u);
}

TEST(Passivation, BeyondTheCapTheLeastRecentlyUsedIsStoppedAndComesBackWithItsState) {
  runtime rt{make_memory_store(), with_cap(2)};
  users::register_user(rt);
  create_user(rt, "a");
  create_user(rt, "b");
  ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"a", "a2@x.org"})));  // b is now oldest

  create_user(rt, "c");  // over the cap: b goes
  auto counts = rt.count_aggregates();

  ASSERT_TRUE(succeeded(counts));
  EXPECT_EQ(counts->live, 2u);
  EXPECT_EQ(counts->passivated, 1u);
  ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"b", "b2@x.org"})));  // respawned
  auto b = rt.versioned_state<users::User>("b");
  ASSERT_TRUE(succeeded(b));
  EXPECT_EQ(b->version, 2u);
  EXPECT_EQ(b->state.name, "User b");
  EXPECT_EQ(b->state.email, "b2@x.org");
  auto after = rt.count_aggregates();
  ASSERT_TRUE(succeeded(after));
  EXPECT_EQ(after->live, 2u);
  EXPECT_EQ(after->passivated, 2u);  // b came back, so the least recently used of a, c went
}

// Ten users, one live actor at a time, every command sent at once: each actor is passivated
// and respawned over and over while commands for it are in flight.
TEST(Passivation, CommandsRacingPassivationsArriveOnceInOrderAndTheStateIsAsWithout) {
  constexpr int users_count = 10, changes = 40;
  sqlite_backend backend;
  std::vector<std::future<command_result>> outcomes;
  {
    runtime rt{backend.open(), with_cap(1)};
    users::register_user(rt);
    for (int user = 0; user < users_count; ++user)
      outcomes.push_back(rt.submit(users::CreateUser{std::to_string(user), "U", "u@x.org"}));
    for (int change = 1; change <= changes; ++change)
      for (int user = 0; user < users_count; ++user)
        outcomes.push_back(rt.submit(
            users::ChangeEmail{std::to_string(user), "u" + std::to_string(change) + "@x.org"}));
    for (auto& outcome : outcomes) ASSERT_TRUE(succeeded(outcome.get()));
    // One more command per user, one at a time: each spawn pushes the previous user out.
    for (int user = 0; user < users_count; ++user)
      ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{std::to_string(user), "last@x.org"})));
    auto counts = rt.count_aggregates();
    ASSERT_TRUE(succeeded(counts));
    EXPECT_LE(counts->live, 1u);
    EXPECT_GE(counts->passivated, static_cast<std::uint64_t>(users_count - 1));
  }

  runtime fresh{backend.open(), with_cap(0)};
  users::register_user(fresh);
  for (int user = 0; user < users_count; ++user) {
    auto stream = fresh.store().read_stream("User-" + std::to_string(user));
    ASSERT_TRUE(succeeded(stream));
    ASSERT_EQ(stream->size(), static_cast<std::size_t>(changes + 2));
    for (int change = 1; change <= changes; ++change)
      EXPECT_NE((*stream)[change].payload.find("\"u" + std::to_string(change) + "@x.org\""),
                std::string::npos)
          << "user " << user << " change " << change << " is out of order";
    auto state = fresh.state<users::User>(std::to_string(user));
    ASSERT_TRUE(succeeded(state));
    EXPECT_EQ(state->email_changes, changes + 1);
    EXPECT_EQ(state->email, "last@x.org");
  }
}

// Idle passivation runs on a timer, so this test waits for it through the router's answers,
// not by sleeping a guessed time.
TEST(Passivation, AnIdleAggregateIsStoppedAfterPassivateAfter) {
  runtime_options options;
  options.passivate_after = std::chrono::milliseconds{1};
  runtime rt{make_memory_store(), options};
  users::register_user(rt);
  create_user(rt, "idle");

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  result<aggregate_counts> counts = rt.count_aggregates();
  while (succeeded(counts) && counts->passivated == 0 &&
         std::chrono::steady_clock::now() < deadline)
    counts = rt.count_aggregates();

  ASSERT_TRUE(succeeded(counts));
  EXPECT_EQ(counts->passivated, 1u);
  EXPECT_EQ(counts->live, 0u);
  auto idle = rt.versioned_state<users::User>("idle");
  ASSERT_TRUE(succeeded(idle));
  EXPECT_EQ(idle->version, 1u);
}

}  // namespace
}  // namespace esk
