// The test kit's own specs (esk/testing.hpp): given/when/then on the aggregate alone and on a
// runtime, passing when the aggregate does what the spec says and failing, with a message that
// says why, when it does not, or when a JSON mapping loses data.
#include <gtest/gtest.h>

#include <boost/describe.hpp>
#include <string>

#include "aggregates/user.hpp"
#include "esk/testing.hpp"

namespace esk {
namespace {

using testing::aggregate_spec;
using testing::runtime_spec;
using users::ChangeEmail;
using users::CreateUser;
using users::User;
using users::UserCreated;
using users::UserEmailChanged;

bool mentions(const ::testing::AssertionResult& result, const std::string& text) {
  return std::string(result.message()).find(text) != std::string::npos;
}

TEST(AggregateSpec, PassesWhenTheCommandDecidesTheExpectedEvents) {
  aggregate_spec<User> spec{"42"};
  spec.given(UserCreated{"42", "Ada", "ada@x.org"}).when(ChangeEmail{"42", "a@x.org"});

  EXPECT_TRUE(spec.then(UserEmailChanged{"42", "a@x.org"}));
}

TEST(AggregateSpec, FailsNamingTheDifferenceWhenAPayloadDiffers) {
  aggregate_spec<User> spec{"42"};
  spec.given(UserCreated{"42", "Ada", "ada@x.org"}).when(ChangeEmail{"42", "a@x.org"});

  auto result = spec.then(UserEmailChanged{"42", "b@x.org"});

  EXPECT_FALSE(result);
  EXPECT_TRUE(mentions(result, "b@x.org")) << result.message();
  EXPECT_TRUE(mentions(result, "a@x.org")) << result.message();
}

TEST(AggregateSpec, FailsWhenTheEventTypeOrCountDiffers) {
  aggregate_spec<User> spec{"42"};
  spec.when(CreateUser{"42", "Ada", "ada@x.org"});

  EXPECT_TRUE(spec.then(UserCreated{"42", "Ada", "ada@x.org"}));
  EXPECT_FALSE(spec.then(UserEmailChanged{"42", "ada@x.org"}));
  EXPECT_FALSE(spec.then());
}

TEST(AggregateSpec, ARejectionIsExpectedWithThenRejectedAndFailsThen) {
  aggregate_spec<User> spec{"42"};
  spec.given(UserCreated{"42", "Ada", "ada@x.org"}).when(CreateUser{"42", "Ada", "ada@x.org"});

  EXPECT_TRUE(spec.then_rejected("already exists"));
  EXPECT_FALSE(spec.then_rejected("unchanged"));
  auto accepted = spec.then(UserCreated{"42", "Ada", "ada@x.org"});
  EXPECT_FALSE(accepted);
  EXPECT_TRUE(mentions(accepted, "already exists")) << accepted.message();
}

// An event whose JSON mapping forgets a member: applied live, lost after a restart.
struct NicknameSet {
  std::string user_id;
  std::string nickname;  // not described
};
BOOST_DESCRIBE_STRUCT(NicknameSet, (), (user_id))

struct SetNickname {
  std::string user_id;
  std::string nickname;
};
BOOST_DESCRIBE_STRUCT(SetNickname, (), (user_id, nickname))

struct Profile {
  std::string nickname;
  void apply(const NicknameSet& event) { nickname = event.nickname; }
  decision handle(const SetNickname& command, const command_context& context) const {
    if (context.aggregate_id != command.user_id) return reject("addressed to another profile");
    return emit(NicknameSet{command.user_id, command.nickname});
  }
};

TEST(AggregateSpec, AnEventWhoseJsonMappingDropsAMemberFailsTheSpecNamingIt) {
  aggregate_spec<Profile> spec{"42"};
  spec.when(SetNickname{"42", "ada"});

  auto result = spec.then(NicknameSet{"42", "ada"});  // the live state would look right

  EXPECT_FALSE(result);
  EXPECT_TRUE(mentions(result, "NicknameSet")) << result.message();
  EXPECT_TRUE(mentions(result, "user_id")) << result.message();  // the member it follows
}

TEST(AggregateSpec, AGivenEventThatDropsAMemberFailsEvenARejectionSpec) {
  aggregate_spec<Profile> spec{"42"};
  spec.given(NicknameSet{"42", "ada"}).when(SetNickname{"7", "bob"});

  EXPECT_FALSE(spec.then_rejected("another profile"));
}

TEST(AggregateSpec, StateIsTheStateTheGivenEventsLeave) {
  aggregate_spec<User> spec{"42"};
  spec.given(UserCreated{"42", "Ada", "ada@x.org"}, UserEmailChanged{"42", "a@x.org"});

  EXPECT_EQ(spec.state().email, "a@x.org");
  EXPECT_EQ(spec.state().email_changes, 1);
}

TEST(AggregateSpec, AHandlerThatAsksForItsContextSeesTheSpecsAggregateId) {
  aggregate_spec<Profile> spec{"42"};

  EXPECT_TRUE(spec.when(SetNickname{"7", "bob"}).then_rejected("another profile"));
}

class RuntimeSpec : public ::testing::Test {
 protected:
  runtime_spec app{[](runtime& rt) { users::register_user(rt); }};
};

TEST_F(RuntimeSpec, PassesWhenTheRuntimeRecordsTheExpectedEvents) {
  app.given("42", UserCreated{"42", "Ada", "ada@x.org"}).when(ChangeEmail{"42", "a@x.org"});

  EXPECT_TRUE(app.then(UserEmailChanged{"42", "a@x.org"}));
  auto ada = app.app().versioned_state<User>("42");
  ASSERT_TRUE(ada.ok());
  EXPECT_EQ(ada->version, 2u);
}

TEST_F(RuntimeSpec, FailsNamingTheDifferenceWhenAPayloadDiffers) {
  app.given("42", UserCreated{"42", "Ada", "ada@x.org"}).when(ChangeEmail{"42", "a@x.org"});

  auto result = app.then(UserEmailChanged{"42", "b@x.org"});

  EXPECT_FALSE(result);
  EXPECT_TRUE(mentions(result, "a@x.org")) << result.message();
}

TEST_F(RuntimeSpec, ARejectionOrAnErrorIsExpectedByKind) {
  app.given("42", UserCreated{"42", "Ada", "ada@x.org"}).when(CreateUser{"42", "Ada", "a@x.org"});

  EXPECT_TRUE(app.then_rejected("already exists"));
  EXPECT_FALSE(app.then(UserCreated{"42", "Ada", "a@x.org"}));
  EXPECT_FALSE(app.then_failed(error_kind::conflict));
}

}  // namespace
}  // namespace esk
