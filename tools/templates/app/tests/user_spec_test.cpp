// Specs of the User aggregate: given events, when a command, then the events it records or its
// rejection (esk/testing.hpp). Each spec also checks that the events, commands and state it sees
// come back unchanged from their JSON. Run them with `ctest --test-dir build`.
#include <esk/testing.hpp>

#include "aggregates/user.hpp"

using esk::testing::aggregate_spec;
using esk::testing::runtime_spec;

// On the aggregate alone: no actors, no store.
TEST(User, IsCreatedWithItsNameAndEmail) {
  aggregate_spec<users::User> spec{"42"};
  spec.when(users::CreateUser{"42", "Ada Lovelace", "ada@example.org"});
  EXPECT_TRUE(spec.then(users::UserCreated{"42", "Ada Lovelace", "ada@example.org"}));
}

TEST(User, CannotBeCreatedTwice) {
  aggregate_spec<users::User> spec{"42"};
  spec.given(users::UserCreated{"42", "Ada Lovelace", "ada@example.org"})
      .when(users::CreateUser{"42", "Ada", "ada@example.org"});
  EXPECT_TRUE(spec.then_rejected_with_code("user_exists", "already exists"));
}

// On a runtime with the in-memory store: registration, JSON and actors as in the app.
TEST(User, ChangesItsEmailThroughTheRuntime) {
  runtime_spec app{[](esk::runtime& rt) { users::register_user(rt); }};
  app.given("42", users::UserCreated{"42", "Ada Lovelace", "ada@example.org"})
      .when(users::ChangeEmail{"42", "ada@lovelace.org"});
  EXPECT_TRUE(app.then(users::UserEmailChanged{"42", "ada@lovelace.org"}));
}
