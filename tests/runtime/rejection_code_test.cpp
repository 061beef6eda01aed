// A rejection may carry a machine-readable code besides its text (esk::reject(code, reason)):
// it reaches the caller's esk::error, its printed form, and the test kit's expectations.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "aggregates/user.hpp"
#include "esk/testing.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace rejection_code_test {

// An aggregate whose handler rejects without a code, as handlers written before codes do.
struct Switch {
  bool on = false;
  void apply(const users::UserEmailChanged&) { on = true; }
  decision handle(const users::ChangeEmail&) const { return reject("switches cannot change"); }
};

TEST(RejectionCode, ReachesTheCallersErrorBesideTheText) {
  runtime rt{make_memory_store()};
  users::register_user(rt);
  ASSERT_TRUE(rt.execute(users::CreateUser{"42", "Ada", "ada@x.org"}));

  auto again = rt.execute(users::CreateUser{"42", "Ada", "ada@x.org"});

  ASSERT_FALSE(again);
  EXPECT_EQ(again.kind(), error_kind::rejected);
  EXPECT_EQ(again.error_value().code, "user_exists");
  EXPECT_EQ(again.error_value().message, "User 42: CreateUser: user 42 already exists");
  std::ostringstream printed;
  printed << again.error_value();
  EXPECT_EQ(printed.str(), "rejected [user_exists]: User 42: CreateUser: user 42 already exists");
}

TEST(RejectionCode, ARejectionWithoutACodeHasAnEmptyOneAndPrintsAsBefore) {
  runtime rt{make_memory_store()};
  rt.aggregate<Switch>("Switch").command<users::ChangeEmail>("ChangeEmail",
                                                             &users::ChangeEmail::user_id);

  auto refused = rt.execute(users::ChangeEmail{"1", "a@b.c"});

  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error_value().code, "");
  std::ostringstream printed;
  printed << refused.error_value();
  EXPECT_EQ(printed.str(), "rejected: Switch 1: ChangeEmail: switches cannot change");
}

TEST(RejectionCode, TheAggregateSpecChecksIt) {
  testing::aggregate_spec<users::User> spec{"42"};
  spec.given(users::UserCreated{"42", "Ada", "ada@x.org"})
      .when(users::CreateUser{"42", "Ada", "ada@x.org"});

  EXPECT_TRUE(spec.then_rejected_with_code("user_exists", "already exists"));
  auto wrong = spec.then_rejected_with_code("invalid_email");
  EXPECT_FALSE(wrong);
  EXPECT_NE(std::string(wrong.message()).find(R"(code "user_exists", expected "invalid_email")"),
            std::string::npos)
      << wrong.message();
}

TEST(RejectionCode, TheRuntimeSpecChecksIt) {
  testing::runtime_spec app{[](runtime& rt) { users::register_user(rt); }};
  app.given("42", users::UserCreated{"42", "Ada", "ada@x.org"})
      .when(users::ChangeEmail{"42", "ada@x.org"});

  EXPECT_TRUE(app.then_rejected_with_code("email_unchanged", "unchanged"));
  EXPECT_FALSE(app.then_rejected_with_code("user_exists"));
}

}  // namespace rejection_code_test
}  // namespace esk
