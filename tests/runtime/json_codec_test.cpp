// JSON in and out: every type of the users example survives a round trip, and a payload that
// does not fit is an error naming the type and the field.
#include <gtest/gtest.h>

#include <boost/describe/members.hpp>
#include <boost/json/parse.hpp>
#include <boost/mp11/algorithm.hpp>
#include <memory>
#include <string>

#include "aggregates/user.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::contains;
using testing::failed_with;
using testing::succeeded;

// Encodes `original`, decodes it back and expects every described member to be equal.
template <class T>
void expect_round_trip(const T& original, const std::string& type_name, unknown_fields policy) {
  const std::string encoded = encode_payload(original);
  auto decoded = decode_payload_text<T>(encoded, type_name, policy);
  ASSERT_TRUE(succeeded(decoded)) << encoded;
  using members = boost::describe::describe_members<T, boost::describe::mod_public>;
  boost::mp11::mp_for_each<members>([&](auto member) {
    EXPECT_EQ(decoded.value().*member.pointer, original.*member.pointer)
        << type_name << "." << member.name << " after " << encoded;
  });
}

boost::json::value json(const char* text) { return boost::json::parse(text); }

TEST(JsonCodec, UserCreatedRoundTrips) {
  expect_round_trip(users::UserCreated{"42", "Ada \"Countess\" Lovelace", "ada@example.org"},
                    "UserCreated", unknown_fields::ignore);
}

TEST(JsonCodec, UserEmailChangedRoundTrips) {
  expect_round_trip(users::UserEmailChanged{"42", "ada\u00e9@example.org"}, "UserEmailChanged",
                    unknown_fields::ignore);
}

TEST(JsonCodec, CreateUserRoundTrips) {
  expect_round_trip(users::CreateUser{"7", "Grace\nHopper", "grace@example.org"}, "CreateUser",
                    unknown_fields::reject);
}

TEST(JsonCodec, ChangeEmailRoundTrips) {
  expect_round_trip(users::ChangeEmail{"7", "grace@navy.mil"}, "ChangeEmail",
                    unknown_fields::reject);
}

TEST(JsonCodec, UserStateRoundTrips) {
  expect_round_trip(users::User{true, "42", "Ada", "ada@example.org", 3}, "User",
                    unknown_fields::reject);
}

TEST(JsonCodec, EncodedPayloadIsAJsonObjectOfTheMembers) {
  auto encoded = json(encode_payload(users::ChangeEmail{"7", "g@x.org"}).c_str());

  EXPECT_EQ(encoded, json(R"({"user_id": "7", "email": "g@x.org"})"));
}

TEST(JsonCodec, PayloadLargerThanTheEncodingBufferEncodesWhole) {
  // encode_payload builds the JSON value in a 4 KiB buffer on the stack; a bigger one
  // continues on the heap and must come out whole.
  const std::string long_name(10000, 'n');
  const std::string encoded =
      encode_payload(users::UserCreated{"42", long_name, std::string(5000, 'e') + "@x.org"});

  EXPECT_EQ(json(encoded.c_str()), json(("{\"user_id\":\"42\",\"name\":\"" + long_name +
                                         "\",\"email\":\"" + std::string(5000, 'e') + "@x.org\"}")
                                            .c_str()));
}

TEST(JsonCodec, MissingFieldNamesTypeAndField) {
  auto decoded = decode_payload<users::CreateUser>(json(R"({"user_id": "1", "name": "Ada"})"),
                                                   "CreateUser", unknown_fields::reject);

  ASSERT_TRUE(failed_with(decoded, error_kind::bad_payload));
  EXPECT_TRUE(contains(decoded.error_value().message, "CreateUser"));
  EXPECT_TRUE(contains(decoded.error_value().message, "missing field 'email'"));
}

TEST(JsonCodec, WrongFieldTypeNamesTypeAndField) {
  auto decoded = decode_payload<users::UserCreated>(
      json(R"({"user_id": 42, "name": "Ada", "email": "a@b.c"})"), "UserCreated",
      unknown_fields::ignore);

  ASSERT_TRUE(failed_with(decoded, error_kind::bad_payload));
  EXPECT_TRUE(contains(decoded.error_value().message, "UserCreated"));
  EXPECT_TRUE(contains(decoded.error_value().message, "field 'user_id' must be a string"));
}

TEST(JsonCodec, NonIntegerForAnIntegerFieldNamesTheField) {
  auto decoded = decode_payload<users::User>(
      json(R"({"exists": true, "user_id": "1", "name": "A", "email": "a@b.c",
               "email_changes": "three"})"),
      "User", unknown_fields::reject);

  ASSERT_TRUE(failed_with(decoded, error_kind::bad_payload));
  EXPECT_TRUE(contains(decoded.error_value().message, "field 'email_changes' must be an integer"));
}

TEST(JsonCodec, UnknownFieldIsRejectedWhenThePolicySaysSo) {
  auto decoded = decode_payload<users::ChangeEmail>(
      json(R"({"user_id": "1", "email": "a@b.c", "emial": "typo@b.c"})"), "ChangeEmail",
      unknown_fields::reject);

  ASSERT_TRUE(failed_with(decoded, error_kind::bad_payload));
  EXPECT_TRUE(contains(decoded.error_value().message, "ChangeEmail"));
  EXPECT_TRUE(contains(decoded.error_value().message, "unknown field 'emial'"));
}

TEST(JsonCodec, UnknownFieldIsSkippedWhenThePolicySaysSo) {
  auto decoded = decode_payload<users::UserEmailChanged>(
      json(R"({"user_id": "1", "email": "a@b.c", "verified": true})"), "UserEmailChanged",
      unknown_fields::ignore);

  ASSERT_TRUE(succeeded(decoded));
  EXPECT_EQ(decoded->email, "a@b.c");
}

TEST(JsonCodec, PayloadThatIsNotAnObjectIsBadPayload) {
  auto decoded = decode_payload<users::CreateUser>(json(R"(["1", "Ada", "a@b.c"])"), "CreateUser",
                                                   unknown_fields::reject);

  ASSERT_TRUE(failed_with(decoded, error_kind::bad_payload));
  EXPECT_TRUE(contains(decoded.error_value().message, "CreateUser"));
}

TEST(JsonCodec, MalformedJsonTextIsBadJson) {
  auto decoded = decode_payload_text<users::CreateUser>(R"({"user_id": "1",)", "CreateUser",
                                                        unknown_fields::reject);

  EXPECT_TRUE(failed_with(decoded, error_kind::bad_json));
}

// The registries decide the policy per kind of type: what the runtime really does with
// stored events and incoming commands.
class RegisteredUserTypes : public ::testing::Test {
 protected:
  RegisteredUserTypes() { users::register_user(rt); }
  runtime rt{make_memory_store()};
};

TEST_F(RegisteredUserTypes, EveryEventTypeDecodesWhatItEncodes) {
  const users::UserCreated created{"42", "Ada", "ada@example.org"};
  const users::UserEmailChanged changed{"42", "ada@lovelace.org"};

  const auto* created_entry = rt.events().find("UserCreated");
  const auto* changed_entry = rt.events().find("UserEmailChanged");
  ASSERT_NE(created_entry, nullptr);
  ASSERT_NE(changed_entry, nullptr);
  auto created_back = rt.events().decode("UserCreated", created_entry->encode(&created));
  auto changed_back = rt.events().decode("UserEmailChanged", changed_entry->encode(&changed));

  ASSERT_TRUE(succeeded(created_back));
  ASSERT_TRUE(succeeded(changed_back));
  const auto& created_value = *static_cast<const users::UserCreated*>(created_back->get());
  const auto& changed_value = *static_cast<const users::UserEmailChanged*>(changed_back->get());
  EXPECT_EQ(created_value.user_id, "42");
  EXPECT_EQ(created_value.name, "Ada");
  EXPECT_EQ(created_value.email, "ada@example.org");
  EXPECT_EQ(changed_value.user_id, "42");
  EXPECT_EQ(changed_value.email, "ada@lovelace.org");
}

TEST_F(RegisteredUserTypes, EveryCommandTypeIsRegisteredUnderItsName) {
  EXPECT_EQ(rt.commands().names(), (std::vector<std::string>{"ChangeEmail", "CreateUser"}));
  EXPECT_EQ(rt.events().names(), (std::vector<std::string>{"UserCreated", "UserEmailChanged"}));
}

TEST_F(RegisteredUserTypes, StoredEventWithAnUnknownFieldStillDecodes) {
  auto decoded = rt.events().decode(
      "UserCreated", R"({"user_id": "1", "name": "Ada", "email": "a@b.c", "locale": "en"})");

  ASSERT_TRUE(succeeded(decoded));
  EXPECT_EQ(static_cast<const users::UserCreated*>(decoded->get())->email, "a@b.c");
}

TEST_F(RegisteredUserTypes, IncomingCommandWithAnUnknownFieldIsRejected) {
  const auto* entry = rt.commands().find("CreateUser");
  ASSERT_NE(entry, nullptr);

  auto decoded = entry->decode(json(R"({"user_id": "1", "name": "A", "email": "a@b.c", "x": 1})"));

  ASSERT_TRUE(failed_with(decoded, error_kind::bad_payload));
  EXPECT_TRUE(contains(decoded.error_value().message, "CreateUser"));
  EXPECT_TRUE(contains(decoded.error_value().message, "'x'"));
}

TEST_F(RegisteredUserTypes, StoredEventOfAnUnknownTypeIsUnknownEvent) {
  auto decoded = rt.events().decode("UserDeleted", R"({"user_id": "1"})");

  ASSERT_TRUE(failed_with(decoded, error_kind::unknown_event));
  EXPECT_TRUE(contains(decoded.error_value().message, "UserDeleted"));
}

TEST_F(RegisteredUserTypes, StoredEventThatIsNotJsonIsBadJson) {
  auto decoded = rt.events().decode("UserCreated", "{user_id: 1}");

  EXPECT_TRUE(failed_with(decoded, error_kind::bad_json));
}

TEST_F(RegisteredUserTypes, StoredEventMissingAFieldNamesTypeAndField) {
  auto decoded = rt.events().decode("UserEmailChanged", R"({"user_id": "1"})");

  ASSERT_TRUE(failed_with(decoded, error_kind::bad_payload));
  EXPECT_TRUE(contains(decoded.error_value().message, "UserEmailChanged"));
  EXPECT_TRUE(contains(decoded.error_value().message, "'email'"));
}

}  // namespace
}  // namespace esk
