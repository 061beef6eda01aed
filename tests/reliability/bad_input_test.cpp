// Bad input is refused with an error value that says what was wrong, and the runtime serves
// the next command as if nothing happened.
#include <gtest/gtest.h>

#include <string>

#include "ledger.hpp"

namespace esk::reliability {
namespace {

class BadInput : public ::testing::Test {
 protected:
  BadInput() : rt_{make_memory_store(), runtime_options{2}} { register_account(rt_); }

  // Asserts `outcome` is an error of `kind` whose message contains `text`.
  static void expect_error(const command_result& outcome, error_kind kind,
                           const std::string& text) {
    ASSERT_FALSE(outcome) << "accepted, but expected " << to_string(kind);
    EXPECT_EQ(outcome.kind(), kind) << outcome.error_value();
    EXPECT_NE(outcome.error_value().message.find(text), std::string::npos)
        << "message \"" << outcome.error_value().message << "\" lacks \"" << text << "\"";
  }

  // The runtime still works: a good command on the same account is accepted and applied.
  void expect_next_command_served(const std::string& account_id = "a1") {
    const auto before = rt_.state<Account>(account_id);
    ASSERT_TRUE(before) << before.error_value();
    auto accepted = rt_.execute(Deposit{account_id, 3});
    ASSERT_TRUE(accepted) << accepted.error_value();
    EXPECT_EQ(rt_.state<Account>(account_id)->balance, before->balance + 3);
  }

  runtime rt_;
};

TEST_F(BadInput, UnknownCommandTypeIsUnknownCommandListingTheRegisteredOnes) {
  auto outcome = rt_.execute_json(R"({"type": "Transfer", "payload": {"account_id": "a1"}})");
  expect_error(outcome, error_kind::unknown_command, "unknown command type 'Transfer'");
  expect_error(outcome, error_kind::unknown_command, "Deposit, DepositTwice");
  expect_next_command_served();
}

TEST_F(BadInput, MalformedJsonIsBadJson) {
  auto outcome = rt_.execute_json(R"({"type": "Deposit", "payload": {"account_id": )");
  expect_error(outcome, error_kind::bad_json, "JSON command");
  expect_next_command_served();
}

TEST_F(BadInput, AnEnvelopeOfTheWrongShapeIsBadJson) {
  expect_error(rt_.execute_json(R"(["Deposit"])"), error_kind::bad_json, "must be a JSON object");
  expect_error(rt_.execute_json(R"({"type": "Deposit"})"), error_kind::bad_json,
               "\"payload\" is missing");
  expect_error(rt_.execute_json(R"({"type": 7, "payload": {}})"), error_kind::bad_json,
               "\"type\" must be a string");
  expect_next_command_served();
}

TEST_F(BadInput, MissingFieldIsBadPayloadNamingTypeAndField) {
  auto outcome = rt_.execute_json(R"({"type": "Deposit", "payload": {"account_id": "a1"}})");
  expect_error(outcome, error_kind::bad_payload, "Deposit: missing field 'amount'");
  expect_next_command_served();
}

TEST_F(BadInput, WrongFieldTypeIsBadPayloadNamingTypeAndField) {
  auto outcome =
      rt_.execute_json(R"({"type": "Deposit", "payload": {"account_id": "a1", "amount": "ten"}})");
  expect_error(outcome, error_kind::bad_payload,
               "Deposit: field 'amount' must be an integer in range");
  expect_next_command_served();
}

TEST_F(BadInput, IntegerOutOfRangeIsBadPayload) {
  auto outcome =
      rt_.execute_json(R"({"type": "Deposit", "payload": {"account_id": "a1", "amount": 1e300}})");
  expect_error(outcome, error_kind::bad_payload, "field 'amount' must be an integer in range");
  expect_next_command_served();
}

// Decision (docs/RELIABILITY.md): commands reject unknown fields, so a typo ("amout") cannot
// silently become a default value; stored events ignore them, for schema evolution.
TEST_F(BadInput, ExtraFieldInACommandIsRejected) {
  auto outcome = rt_.execute_json(
      R"({"type": "Deposit", "payload": {"account_id": "a1", "amount": 5, "note": "hi"}})");
  expect_error(outcome, error_kind::bad_payload, "Deposit: unknown field 'note'");
  EXPECT_EQ(*rt_.store().last_position(), 0u) << "a rejected command wrote something";
  expect_next_command_served();
}

TEST_F(BadInput, ExtraFieldInAStoredEventIsIgnored) {
  auto decoded =
      rt_.events().decode("Deposited", R"({"account_id": "a1", "amount": 5, "added_later": 1})");
  ASSERT_TRUE(decoded) << decoded.error_value();
  EXPECT_EQ(static_cast<const Deposited*>(decoded->get())->amount, 5);
}

TEST_F(BadInput, CommandOverTheSizeLimitIsBadJson) {
  const std::string prefix = R"({"type": "Annotate", "payload": {"account_id": "a1", "note": ")";
  const std::string suffix = R"("}})";
  std::string huge = prefix + std::string(max_json_command_bytes, 'x') + suffix;
  auto outcome = rt_.execute_json(huge);
  expect_error(outcome, error_kind::bad_json,
               "over the limit of " + std::to_string(max_json_command_bytes));
  EXPECT_EQ(*rt_.store().last_position(), 0u);
  expect_next_command_served();
}

TEST_F(BadInput, CommandJustUnderTheSizeLimitIsAccepted) {
  const std::string prefix = R"({"type": "Annotate", "payload": {"account_id": "a1", "note": ")";
  const std::string suffix = R"("}})";
  const std::string big =
      prefix + std::string(max_json_command_bytes - prefix.size() - suffix.size(), 'x') + suffix;
  ASSERT_EQ(big.size(), max_json_command_bytes);
  auto outcome = rt_.execute_json(big);
  ASSERT_TRUE(outcome) << outcome.error_value();
  expect_next_command_served();
}

TEST_F(BadInput, EmptyAggregateIdIsInvalidArgument) {
  expect_error(rt_.execute(Deposit{"", 5}), error_kind::invalid_argument,
               "Account: Deposit: the aggregate ID is empty");
  expect_error(
      rt_.execute_json(R"({"type": "Deposit", "payload": {"account_id": "", "amount": 5}})"),
      error_kind::invalid_argument, "the aggregate ID is empty");
  expect_next_command_served();
}

TEST_F(BadInput, HandlerThatThrowsIsHandlerFailedAndTheAggregateLivesOn) {
  ASSERT_TRUE(rt_.execute(Deposit{"a1", 10}));
  auto outcome = rt_.execute(Explode{"a1"});
  expect_error(outcome, error_kind::handler_failed, "Account a1: handler for Explode threw");
  expect_error(outcome, error_kind::handler_failed, "exploded on purpose");
  EXPECT_EQ(*rt_.store().stream_version("Account-a1"), 1u);
  expect_next_command_served("a1");  // the same actor, its state intact
  EXPECT_EQ(rt_.state<Account>("a1")->balance, 13);
}

TEST_F(BadInput, HandlerThatDecidesNoEventsSucceedsAndRecordsNothing) {
  auto outcome = rt_.execute(Touch{"a1"});
  ASSERT_TRUE(outcome) << outcome.error_value();
  EXPECT_TRUE(outcome->empty());
  EXPECT_EQ(*rt_.store().last_position(), 0u);
  expect_next_command_served();
}

TEST_F(BadInput, RejectedCommandIsRejectedWithTheHandlersReason) {
  expect_error(rt_.execute(Withdraw{"a1", 5}), error_kind::rejected,
               "insufficient funds: balance 0");
  expect_next_command_served();
}

}  // namespace
}  // namespace esk::reliability
