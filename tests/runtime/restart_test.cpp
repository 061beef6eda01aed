// Restart on the durable store: a new runtime on the same SQLite file rehydrates every aggregate
// to the state the previous one left, and the domain rules still hold against that state.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "aggregates/user.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::contains;
using testing::failed_with;
using testing::succeeded;

class Restart : public ::testing::Test {
 protected:
  // A runtime with the users example on the database file (a new connection each time).
  std::unique_ptr<runtime> start() {
    auto rt = std::make_unique<runtime>(backend.open());
    users::register_user(*rt);
    return rt;
  }

  // Runs a few commands in a runtime that is then destroyed; returns each user's state as JSON.
  std::map<std::string, std::string> run_first_process() {
    std::map<std::string, std::string> states;
    auto rt = start();
    EXPECT_TRUE(succeeded(rt->execute(users::CreateUser{"1", "Ada", "ada@x.org"})));
    EXPECT_TRUE(succeeded(rt->execute(users::CreateUser{"2", "Grace", "grace@x.org"})));
    EXPECT_TRUE(succeeded(rt->execute(users::ChangeEmail{"1", "countess@x.org"})));
    EXPECT_TRUE(succeeded(rt->execute(users::ChangeEmail{"1", "ada@lovelace.org"})));
    for (const std::string id : {"1", "2", "3"}) {
      auto state = rt->state_json("User", id);
      EXPECT_TRUE(succeeded(state));
      if (state.ok()) states[id] = *state;
    }
    return states;
  }

  testing::sqlite_backend backend;
};

TEST_F(Restart, StatesRehydrateIdentically) {
  const auto before = run_first_process();

  auto rt = start();

  for (const auto& [id, state] : before) {
    auto after = rt->state_json("User", id);
    ASSERT_TRUE(succeeded(after));
    EXPECT_EQ(*after, state) << "User " << id;
  }
}

TEST_F(Restart, TypedStateRehydratesFromTheFile) {
  run_first_process();

  auto rt = start();
  auto ada = rt->state<users::User>("1");

  ASSERT_TRUE(succeeded(ada));
  EXPECT_TRUE(ada->exists);
  EXPECT_EQ(ada->name, "Ada");
  EXPECT_EQ(ada->email, "ada@lovelace.org");
  EXPECT_EQ(ada->email_changes, 2);
}

TEST_F(Restart, DuplicateCreateUserIsRejectedAfterRestart) {
  run_first_process();
  auto rt = start();

  auto again = rt->execute(users::CreateUser{"1", "Ada", "ada@x.org"});

  ASSERT_TRUE(failed_with(again, error_kind::rejected));
  EXPECT_TRUE(contains(again.error_value().message, "already exists"));
  auto stream = rt->store().read_stream("User-1");
  ASSERT_TRUE(succeeded(stream));
  EXPECT_EQ(stream->size(), 3u);
}

TEST_F(Restart, CommandAfterRestartContinuesTheStreamAndTheLog) {
  run_first_process();
  auto rt = start();

  auto changed = rt->execute(users::ChangeEmail{"2", "hopper@x.org"});

  ASSERT_TRUE(succeeded(changed));
  ASSERT_EQ(changed->size(), 1u);
  EXPECT_EQ(changed->front().version, 2u);
  EXPECT_EQ(changed->front().position, 5u);
}

}  // namespace
}  // namespace esk
