// esk::check_json_round_trip, the helper applications call in their tests: every type of the
// users example survives its JSON round trip, and a type that loses a member on the way is an
// error naming the type and, where the layout shows it, the member the loss follows.
#include "esk/json_round_trip.hpp"

#include <gtest/gtest.h>

#include <boost/describe/class.hpp>
#include <string>
#include <type_traits>

#include "aggregates/user.hpp"
#include "esk/type_name.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::contains;
using testing::failed_with;
using testing::succeeded;

// An event whose author forgot `new_name` in BOOST_DESCRIBE_STRUCT.
struct Renamed {
  std::string account_id;
  std::string new_name;
};
BOOST_DESCRIBE_STRUCT(Renamed, (), (account_id))

// An event whose forgotten member `scale` sits where alignment padding could be, so only
// operator== can see it is lost.
struct Measured {
  double value = 0;
  int unit = 0;
  int scale = 0;
  bool operator==(const Measured& other) const {
    return value == other.value && unit == other.unit && scale == other.scale;
  }
};
BOOST_DESCRIBE_STRUCT(Measured, (), (value, unit))

// An event that inherits members from a described base (Boost.JSON encodes them flattened
// once the type opts in, below).
struct TenantEvent {
  std::string tenant_id;
};
BOOST_DESCRIBE_STRUCT(TenantEvent, (), (tenant_id))

struct InvoiceSent : TenantEvent {
  std::string invoice_id;
};
BOOST_DESCRIBE_STRUCT(InvoiceSent, (TenantEvent), (invoice_id))

}  // namespace
}  // namespace esk

template <>
struct boost::json::is_described_class<esk::InvoiceSent> : std::true_type {};

namespace esk {
namespace {

TEST(JsonRoundTrip, EveryTypeOfTheUsersExampleSurvives) {
  EXPECT_TRUE(succeeded(check_json_round_trip(users::UserCreated{"42", "Ada", "ada@x.org"})));
  EXPECT_TRUE(succeeded(check_json_round_trip(users::UserEmailChanged{"42", "ada@y.org"})));
  EXPECT_TRUE(succeeded(check_json_round_trip(users::CreateUser{"7", "Grace", "g@x.org"})));
  EXPECT_TRUE(succeeded(check_json_round_trip(users::ChangeEmail{"7", "g@y.org"})));
  EXPECT_TRUE(succeeded(check_json_round_trip(users::User{true, "42", "Ada", "ada@x.org", 3})));
}

TEST(JsonRoundTrip, MemberLeftOutOfTheDescriptionIsAnErrorNamingTypeAndNeighbour) {
  auto checked = check_json_round_trip(Renamed{"a-1", "Savings"}, "Renamed");

  ASSERT_TRUE(failed_with(checked, error_kind::handler_failed));
  const std::string& message = checked.error_value().message;
  EXPECT_TRUE(contains(message, "Renamed (" + readable_type_name(typeid(Renamed)) + ")"));
  EXPECT_TRUE(contains(message, "does not survive its JSON round trip"));
  EXPECT_TRUE(contains(message, "(after member 'account_id')"));
  EXPECT_TRUE(contains(message, "BOOST_DESCRIBE_STRUCT"));
}

TEST(JsonRoundTrip, LostMemberInAlignmentPaddingIsCaughtByOperatorEquals) {
  auto checked = check_json_round_trip(Measured{2.5, 3, 1000});

  ASSERT_TRUE(failed_with(checked, error_kind::handler_failed));
  EXPECT_TRUE(contains(checked.error_value().message, readable_type_name(typeid(Measured))));
  EXPECT_TRUE(contains(checked.error_value().message, "is not == the original"));
}

TEST(JsonRoundTrip, MembersOfADescribedBaseSurvive) {
  EXPECT_TRUE(succeeded(check_json_round_trip(InvoiceSent{{"tenant-9"}, "inv-1"})));
}

}  // namespace
}  // namespace esk
