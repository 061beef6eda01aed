// Commands sent as JSON ({"type": ..., "payload": {...}}), and the errors a command is refused
// with before it reaches an aggregate: malformed JSON, a wrong envelope, an unknown type, a
// payload that does not fit, an empty aggregate ID.
#include <gtest/gtest.h>

#include <string>

#include "aggregates/user.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::contains;
using testing::failed_with;
using testing::succeeded;

// A command type no aggregate registered.
struct DeleteUser {
  std::string user_id;
};

class JsonCommands : public ::testing::Test {
 protected:
  JsonCommands() { users::register_user(rt); }

  // Nothing reached the store.
  ::testing::AssertionResult store_is_empty() {
    auto last = rt.store().last_position();
    if (!last.ok()) return ::testing::AssertionFailure() << last.error_value();
    if (*last == 0) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "the store holds " << *last << " events";
  }

  runtime rt{make_memory_store()};
};

TEST_F(JsonCommands, JsonCommandIsAcceptedLikeItsCppValue) {
  auto created = rt.execute_json(
      R"({"type": "CreateUser", "payload": {"user_id": "42", "name": "Ada", "email": "ada@x.org"}})");

  ASSERT_TRUE(succeeded(created));
  ASSERT_EQ(created->size(), 1u);
  EXPECT_EQ(created->front().stream, "User-42");
  EXPECT_EQ(created->front().type, "UserCreated");
  auto user = rt.state<users::User>("42");
  ASSERT_TRUE(succeeded(user));
  EXPECT_EQ(user->email, "ada@x.org");
}

TEST_F(JsonCommands, JsonCommandCarriesItsTracingIds) {
  auto created = rt.execute_json(
      R"({"type": "CreateUser", "payload": {"user_id": "42", "name": "Ada", "email": "a@x.org"},
          "command_id": "cmd-1", "correlation_id": "conv-9", "causation_id": "msg-3"})");

  ASSERT_TRUE(succeeded(created));
  ASSERT_EQ(created->size(), 1u);
  EXPECT_EQ(created->front().metadata.command_id, "cmd-1");
  EXPECT_EQ(created->front().metadata.correlation_id, "conv-9");
  EXPECT_EQ(created->front().metadata.causation_id, "msg-3");
}

TEST_F(JsonCommands, MalformedJsonIsBadJson) {
  auto outcome = rt.execute_json(R"({"type": "CreateUser", "payload": {"user_id": "42")");

  EXPECT_TRUE(failed_with(outcome, error_kind::bad_json));
  EXPECT_TRUE(store_is_empty());
}

TEST_F(JsonCommands, UnknownJsonCommandTypeIsUnknownCommand) {
  auto outcome = rt.execute_json(R"({"type": "DeleteUser", "payload": {"user_id": "42"}})");

  ASSERT_TRUE(failed_with(outcome, error_kind::unknown_command));
  EXPECT_TRUE(contains(outcome.error_value().message, "DeleteUser"));
  EXPECT_TRUE(store_is_empty());
}

TEST_F(JsonCommands, UnregisteredCppCommandTypeIsUnknownCommand) {
  auto outcome = rt.execute(DeleteUser{"42"});

  EXPECT_TRUE(failed_with(outcome, error_kind::unknown_command));
  EXPECT_TRUE(store_is_empty());
}

TEST_F(JsonCommands, EmptyAggregateIdIsInvalidArgument) {
  auto outcome = rt.execute(users::CreateUser{"", "Ada", "ada@x.org"});

  ASSERT_TRUE(failed_with(outcome, error_kind::invalid_argument));
  EXPECT_TRUE(contains(outcome.error_value().message, "CreateUser"));
  EXPECT_TRUE(store_is_empty());
}

TEST_F(JsonCommands, EmptyAggregateIdInJsonIsInvalidArgument) {
  auto outcome = rt.execute_json(
      R"({"type": "CreateUser", "payload": {"user_id": "", "name": "Ada", "email": "a@x.org"}})");

  EXPECT_TRUE(failed_with(outcome, error_kind::invalid_argument));
  EXPECT_TRUE(store_is_empty());
}

TEST_F(JsonCommands, StateOfAnEmptyAggregateIdIsInvalidArgument) {
  EXPECT_TRUE(failed_with(rt.state<users::User>(""), error_kind::invalid_argument));
}

TEST_F(JsonCommands, PayloadMissingAFieldNamesTypeAndField) {
  auto outcome =
      rt.execute_json(R"({"type": "CreateUser", "payload": {"user_id": "42", "name": "Ada"}})");

  ASSERT_TRUE(failed_with(outcome, error_kind::bad_payload));
  EXPECT_TRUE(contains(outcome.error_value().message, "CreateUser"));
  EXPECT_TRUE(contains(outcome.error_value().message, "'email'"));
  EXPECT_TRUE(store_is_empty());
}

TEST_F(JsonCommands, PayloadFieldOfTheWrongTypeNamesTypeAndField) {
  auto outcome = rt.execute_json(
      R"({"type": "ChangeEmail", "payload": {"user_id": "42", "email": ["a@x.org"]}})");

  ASSERT_TRUE(failed_with(outcome, error_kind::bad_payload));
  EXPECT_TRUE(contains(outcome.error_value().message, "ChangeEmail"));
  EXPECT_TRUE(contains(outcome.error_value().message, "'email'"));
}

TEST_F(JsonCommands, PayloadWithAnUnknownFieldIsRejected) {
  auto outcome = rt.execute_json(
      R"({"type": "ChangeEmail", "payload": {"user_id": "42", "email": "a@x.org", "mail": "b"}})");

  ASSERT_TRUE(failed_with(outcome, error_kind::bad_payload));
  EXPECT_TRUE(contains(outcome.error_value().message, "ChangeEmail"));
  EXPECT_TRUE(contains(outcome.error_value().message, "'mail'"));
  EXPECT_TRUE(store_is_empty());
}

// An envelope of the wrong shape, and why it is wrong.
struct bad_envelope {
  const char* name;
  std::string text;
};

void PrintTo(const bad_envelope& envelope, std::ostream* out) { *out << envelope.name; }

class JsonEnvelopeShape : public JsonCommands,
                          public ::testing::WithParamInterface<bad_envelope> {};

TEST_P(JsonEnvelopeShape, IsBadJsonAndRecordsNothing) {
  auto outcome = rt.execute_json(GetParam().text);

  EXPECT_TRUE(failed_with(outcome, error_kind::bad_json));
  EXPECT_TRUE(store_is_empty());
}

const std::string valid_payload = R"({"user_id": "42", "name": "Ada", "email": "a@x.org"})";

INSTANTIATE_TEST_SUITE_P(
    Envelopes, JsonEnvelopeShape,
    ::testing::Values(
        bad_envelope{"NotAnObject", R"(["CreateUser", {}])"},
        bad_envelope{"AString", R"("CreateUser")"},
        bad_envelope{"TypeMissing", R"({"payload": )" + valid_payload + "}"},
        bad_envelope{"TypeNotAString", R"({"type": 7, "payload": )" + valid_payload + "}"},
        bad_envelope{"TypeEmpty", R"({"type": "", "payload": )" + valid_payload + "}"},
        bad_envelope{"PayloadMissing", R"({"type": "CreateUser"})"},
        bad_envelope{"PayloadNotAnObject", R"({"type": "CreateUser", "payload": "42"})"},
        bad_envelope{"UnknownKey",
                     R"({"type": "CreateUser", "payload": )" + valid_payload + R"(, "ttl": 5})"},
        bad_envelope{"CommandIdNotAString", R"({"type": "CreateUser", "payload": )" +
                                                valid_payload + R"(, "command_id": 5})"},
        bad_envelope{"OverTheSizeLimit",
                     R"({"type": "CreateUser", "payload": {"user_id": "42", "name": ")" +
                         std::string(max_json_command_bytes, 'a') + R"(", "email": "a@x.org"}})"}),
    [](const ::testing::TestParamInfo<bad_envelope>& info) { return info.param.name; });

}  // namespace
}  // namespace esk
