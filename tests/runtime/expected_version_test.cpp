// A command may carry the stream version its sender decided on: a mismatch is a conflict that
// names both versions, found before the handler runs. Handlers may ask for their context (the
// aggregate's ID and version, the command's IDs); handlers that do not keep compiling.
#include <gtest/gtest.h>

#include <boost/describe.hpp>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "aggregates/user.hpp"
#include "held_appends_store.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::contains;
using testing::failed_with;
using testing::held_appends_store;
using testing::sqlite_backend;
using testing::succeeded;

// A ledger whose Stamp handler asks for its context and records what it saw.
struct Stamped {
  std::string ledger_id;
  std::uint64_t seen_version = 0;
  std::string seen_command_id;
  std::string seen_correlation_id;
  std::string seen_causation_id;
};
BOOST_DESCRIBE_STRUCT(Stamped, (),
                      (ledger_id, seen_version, seen_command_id, seen_correlation_id,
                       seen_causation_id))

struct Stamp {
  std::string ledger_id;
};
BOOST_DESCRIBE_STRUCT(Stamp, (), (ledger_id))

struct Ledger {
  int stamps = 0;
  void apply(const Stamped&) { ++stamps; }
  decision handle(const Stamp&, const command_context& context) const {
    return emit(Stamped{std::string(context.aggregate_id), context.version,
                        std::string(context.command_id), std::string(context.correlation_id),
                        std::string(context.causation_id)});
  }
};
BOOST_DESCRIBE_STRUCT(Ledger, (), (stamps))

void register_ledger(runtime& rt) {
  rt.aggregate<Ledger>("Ledger").event<Stamped>("Stamped").command<Stamp>("Stamp",
                                                                          &Stamp::ledger_id);
}

Stamped stamp_of(const command_result& outcome) {
  return *decode_payload_text<Stamped>(outcome->front().payload, "Stamped", unknown_fields::reject);
}

command_options expecting(std::uint64_t version) {
  command_options options;
  options.expected_version = version;
  return options;
}

class ExpectedVersion : public ::testing::Test {
 protected:
  ExpectedVersion() {
    users::register_user(rt);
    EXPECT_TRUE(succeeded(rt.execute(users::CreateUser{"7", "Grace", "grace@x.org"})));
  }
  runtime rt{make_memory_store()};
};

TEST_F(ExpectedVersion, TheVersionTheStreamIsAtIsAccepted) {
  auto changed = rt.execute(users::ChangeEmail{"7", "a@x.org"}, expecting(1));

  ASSERT_TRUE(succeeded(changed));
  EXPECT_EQ(changed->front().version, 2u);
}

TEST_F(ExpectedVersion, AnOlderVersionIsAConflictNamingBothAndRecordsNothing) {
  ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"7", "a@x.org"})));

  auto stale = rt.execute(users::ChangeEmail{"7", "b@x.org"}, expecting(1));

  ASSERT_TRUE(failed_with(stale, error_kind::conflict));
  EXPECT_TRUE(contains(stale.error_value().message, "User 7"));
  EXPECT_TRUE(contains(stale.error_value().message, "expected version 1"));
  EXPECT_TRUE(contains(stale.error_value().message, "at version 2"));
  EXPECT_EQ(stale.error_value().stream_version, 2u);
  auto grace = rt.versioned_state<users::User>("7");
  ASSERT_TRUE(succeeded(grace));
  EXPECT_EQ(grace->version, 2u);
  EXPECT_EQ(grace->state.email, "a@x.org");
}

TEST_F(ExpectedVersion, ItIsCheckedBeforeTheHandlerRuns) {
  // The handler would reject an unchanged email; the conflict comes first.
  auto stale = rt.execute(users::ChangeEmail{"7", "grace@x.org"}, expecting(0));

  EXPECT_TRUE(failed_with(stale, error_kind::conflict));
}

TEST_F(ExpectedVersion, ZeroExpectsAnAggregateWithoutEvents) {
  EXPECT_TRUE(succeeded(rt.execute(users::CreateUser{"8", "Ada", "ada@x.org"}, expecting(0))));
  EXPECT_TRUE(failed_with(rt.execute(users::CreateUser{"7", "Bob", "bob@x.org"}, expecting(0)),
                          error_kind::conflict));
}

TEST_F(ExpectedVersion, TheJsonEnvelopeCarriesIt) {
  auto accepted =
      rt.execute_json(R"({"type": "ChangeEmail", "payload": {"user_id": "7", "email": "a@x.org"},)"
                      R"( "expected_version": 1})");
  auto stale =
      rt.execute_json(R"({"type": "ChangeEmail", "payload": {"user_id": "7", "email": "b@x.org"},)"
                      R"( "expected_version": 1})");
  auto negative =
      rt.execute_json(R"({"type": "ChangeEmail", "payload": {"user_id": "7", "email": "b@x.org"},)"
                      R"( "expected_version": -1})");

  EXPECT_TRUE(succeeded(accepted));
  ASSERT_TRUE(failed_with(stale, error_kind::conflict));
  EXPECT_EQ(stale.error_value().stream_version, 2u);
  ASSERT_TRUE(failed_with(negative, error_kind::bad_json));
  EXPECT_TRUE(contains(negative.error_value().message, "expected_version"));
}

TEST_F(ExpectedVersion, WhatASenderPassesBesideTheJsonOverridesTheEnvelope) {
  std::promise<command_result> answered;
  rt.send_json(R"({"type": "ChangeEmail", "payload": {"user_id": "7", "email": "a@x.org"},)"
               R"( "expected_version": 1})",
               [&answered](command_result outcome) { answered.set_value(std::move(outcome)); },
               expecting(5));

  auto outcome = answered.get_future().get();
  ASSERT_TRUE(failed_with(outcome, error_kind::conflict));
  EXPECT_TRUE(contains(outcome.error_value().message, "expected version 5"));
}

TEST(ExpectedVersionInABatch, EachCommandIsCheckedAgainstTheVersionItsTurnLeaves) {
  auto store = std::make_shared<held_appends_store>(make_memory_store());
  runtime rt{store};
  users::register_user(rt);
  store->allow(1);
  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"7", "Grace", "grace@x.org"})));
  auto moved = rt.submit(users::ChangeEmail{"7", "x@x.org"});  // held: version 2 once recorded
  auto on_time = rt.submit(users::ChangeEmail{"7", "a@x.org"}, expecting(2));
  auto late = rt.submit(users::ChangeEmail{"7", "b@x.org"}, expecting(2));  // stream at 3 then
  auto next = rt.submit(users::ChangeEmail{"7", "c@x.org"}, expecting(3));
  ASSERT_TRUE(succeeded(rt.state<users::User>("nobody")));  // the router passed all of them on

  store->release();

  ASSERT_TRUE(succeeded(moved.get()));
  auto on_time_outcome = on_time.get();
  ASSERT_TRUE(succeeded(on_time_outcome));
  EXPECT_EQ(on_time_outcome->front().version, 3u);
  auto late_outcome = late.get();
  ASSERT_TRUE(failed_with(late_outcome, error_kind::conflict));
  EXPECT_EQ(late_outcome.error_value().stream_version, 3u);
  auto next_outcome = next.get();
  ASSERT_TRUE(succeeded(next_outcome));
  EXPECT_EQ(next_outcome->front().version, 4u);
}

TEST(ExpectedVersionAndASecondWriter, ANewerVersionThanTheActorKnowsIsReadFromTheStore) {
  sqlite_backend backend;
  runtime first{backend.open()};
  runtime second{backend.open()};
  users::register_user(first);
  users::register_user(second);
  ASSERT_TRUE(succeeded(first.execute(users::CreateUser{"7", "Grace", "grace@x.org"})));
  ASSERT_TRUE(succeeded(first.state<users::User>("7")));  // first's actor holds version 1
  ASSERT_TRUE(succeeded(second.execute(users::ChangeEmail{"7", "hopper@x.org"})));

  // The sender read version 2 (through the second runtime): it is right, not first's actor.
  auto changed = first.execute(users::ChangeEmail{"7", "a@x.org"}, expecting(2));

  ASSERT_TRUE(succeeded(changed));
  EXPECT_EQ(changed->front().version, 3u);
}

TEST(CommandContext, AHandlerThatAsksSeesTheAggregatesIdVersionAndCommandId) {
  runtime rt{make_memory_store()};
  register_ledger(rt);
  command_options options;
  options.command_id = "stamp-one";

  auto first = rt.execute(Stamp{"L1"}, options);
  auto second = rt.execute(Stamp{"L1"});

  ASSERT_TRUE(succeeded(first));
  EXPECT_EQ(stamp_of(first).ledger_id, "L1");
  EXPECT_EQ(stamp_of(first).seen_version, 0u);
  EXPECT_EQ(stamp_of(first).seen_command_id, "stamp-one");
  ASSERT_TRUE(succeeded(second));
  EXPECT_EQ(stamp_of(second).seen_version, 1u);
  EXPECT_EQ(stamp_of(second).seen_command_id, second->front().metadata.command_id);
}

TEST(CommandContext, WithoutCorrelationAndCausationTheHandlerAndTheEventsSeeTheCommandId) {
  runtime rt{make_memory_store()};
  register_ledger(rt);
  command_options options;
  options.command_id = "stamp-alone";

  auto stamped = rt.execute(Stamp{"L1"}, options);

  ASSERT_TRUE(succeeded(stamped));
  EXPECT_EQ(stamp_of(stamped).seen_correlation_id, "stamp-alone");
  EXPECT_EQ(stamp_of(stamped).seen_causation_id, "stamp-alone");
  const auto stored = rt.store().read_stream("Ledger-L1");
  ASSERT_TRUE(succeeded(stored));
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->front().metadata.correlation_id, "stamp-alone");
  EXPECT_EQ(stored->front().metadata.causation_id, "stamp-alone");
}

TEST(CommandContext, TheHandlerSeesTheCorrelationAndCausationTheSenderNamed) {
  runtime rt{make_memory_store()};
  register_ledger(rt);
  command_options options{"stamp-traced", "conversation-7", "message-3"};

  auto stamped = rt.execute(Stamp{"L1"}, options);

  ASSERT_TRUE(succeeded(stamped));
  EXPECT_EQ(stamp_of(stamped).seen_correlation_id, "conversation-7");
  EXPECT_EQ(stamp_of(stamped).seen_causation_id, "message-3");
}

}  // namespace
}  // namespace esk
