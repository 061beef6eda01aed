// Reading state tells "no such aggregate" from an aggregate whose state looks empty: the state
// comes with the version of its stream, 0 when it has no events.
#include <gtest/gtest.h>

#include <string>

#include "aggregates/user.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::succeeded;

class VersionedState : public ::testing::Test {
 protected:
  VersionedState() { users::register_user(rt); }
  runtime rt{make_memory_store()};
};

TEST_F(VersionedState, AnAggregateWithoutEventsIsVersionZeroAndDoesNotExist) {
  auto user = rt.versioned_state<users::User>("404");

  ASSERT_TRUE(succeeded(user));
  EXPECT_EQ(user->version, 0u);
  EXPECT_FALSE(user->exists());
  EXPECT_FALSE(user->state.exists);
}

TEST_F(VersionedState, TheVersionIsTheStreamVersionTheStateReflects) {
  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"7", "Grace", "grace@x.org"})));
  ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"7", "hopper@x.org"})));

  auto user = rt.versioned_state<users::User>("7");

  ASSERT_TRUE(succeeded(user));
  EXPECT_EQ(user->version, 2u);
  EXPECT_TRUE(user->exists());
  EXPECT_EQ(user->state.email, "hopper@x.org");
}

TEST_F(VersionedState, TheJsonFormCarriesTheVersionToo) {
  auto missing = rt.versioned_state_json("User", "404");
  ASSERT_TRUE(succeeded(missing));
  EXPECT_EQ(missing->version, 0u);

  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"7", "Grace", "grace@x.org"})));
  auto found = rt.versioned_state_json("User", "7");
  ASSERT_TRUE(succeeded(found));
  EXPECT_EQ(found->version, 1u);
  EXPECT_NE(found->state.find("\"grace@x.org\""), std::string::npos);
}

}  // namespace
}  // namespace esk
