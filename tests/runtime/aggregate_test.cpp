// Aggregate behaviour through the runtime: what commands decide, what state results, and how a
// rejection, a handler that decides nothing and a handler that throws come back to the caller.
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <stdexcept>
#include <string>

#include "aggregates/user.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::contains;
using testing::failed_with;
using testing::succeeded;

// A test-only aggregate whose handlers do nothing, count, or throw.
struct Poked {
  std::string probe_id;
};
BOOST_DESCRIBE_STRUCT(Poked, (), (probe_id))

struct Poke {  // records Poked
  std::string probe_id;
};
BOOST_DESCRIBE_STRUCT(Poke, (), (probe_id))

struct Ping {  // accepted, records nothing
  std::string probe_id;
};
BOOST_DESCRIBE_STRUCT(Ping, (), (probe_id))

struct Explode {  // the handler throws
  std::string probe_id;
};
BOOST_DESCRIBE_STRUCT(Explode, (), (probe_id))

struct Fumble {  // the handler throws something that is not a std::exception
  std::string probe_id;
};
BOOST_DESCRIBE_STRUCT(Fumble, (), (probe_id))

struct Stray {  // emits an event type not registered with Probe
  std::string probe_id;
};
BOOST_DESCRIBE_STRUCT(Stray, (), (probe_id))

struct Unregistered {
  std::string probe_id;
};
BOOST_DESCRIBE_STRUCT(Unregistered, (), (probe_id))

// The ID whose Poked events the event handler cannot apply.
const std::string cursed_probe = "cursed";

struct Probe {
  int pokes = 0;
  void apply(const Poked& event) {
    if (event.probe_id == cursed_probe) throw 42;  // as a library might
    ++pokes;
  }
  decision handle(const Poke& command) const { return emit(Poked{command.probe_id}); }
  decision handle(const Ping&) const { return {}; }
  decision handle(const Explode&) const { throw std::runtime_error("the probe exploded"); }
  decision handle(const Fumble&) const { throw 42; }
  decision handle(const Stray& command) const { return emit(Unregistered{command.probe_id}); }
};

class Aggregates : public ::testing::Test {
 protected:
  Aggregates() {
    users::register_user(rt);
    rt.aggregate<Probe>("Probe")
        .event<Poked>("Poked")
        .command<Poke>("Poke", &Poke::probe_id)
        .command<Ping>("Ping", &Ping::probe_id)
        .command<Explode>("Explode", &Explode::probe_id)
        .command<Fumble>("Fumble", &Fumble::probe_id)
        .command<Stray>("Stray", &Stray::probe_id);
  }

  // Creates user `id` and asserts it was accepted.
  void create_user(const std::string& id, const std::string& email) {
    ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{id, "User " + id, email})));
  }

  std::vector<recorded_event> stream(const std::string& name) {
    auto events = rt.store().read_stream(name);
    EXPECT_TRUE(succeeded(events));
    return events.ok() ? *events : std::vector<recorded_event>{};
  }

  testing::log_capture log;  // declared before the runtime: it must outlive it
  runtime rt{make_memory_store(), testing::logged_to(log)};
};

TEST_F(Aggregates, CreateUserRecordsUserCreated) {
  auto created = rt.execute(users::CreateUser{"42", "Ada", "ada@x.org"});

  ASSERT_TRUE(succeeded(created));
  ASSERT_EQ(created->size(), 1u);
  EXPECT_EQ(created->front().stream, "User-42");
  EXPECT_EQ(created->front().version, 1u);
  EXPECT_EQ(created->front().type, "UserCreated");
  auto payload = decode_payload_text<users::UserCreated>(created->front().payload, "UserCreated",
                                                         unknown_fields::reject);
  ASSERT_TRUE(succeeded(payload));
  EXPECT_EQ(payload->user_id, "42");
  EXPECT_EQ(payload->name, "Ada");
  EXPECT_EQ(payload->email, "ada@x.org");
}

TEST_F(Aggregates, DuplicateCreateUserIsRejectedAsAlreadyExists) {
  create_user("42", "ada@x.org");

  auto again = rt.execute(users::CreateUser{"42", "Ada", "other@x.org"});

  ASSERT_TRUE(failed_with(again, error_kind::rejected));
  EXPECT_TRUE(contains(again.error_value().message, "already exists"));
}

TEST_F(Aggregates, RejectionNamesAggregateIdAndCommand) {
  create_user("42", "ada@x.org");

  auto again = rt.execute(users::CreateUser{"42", "Ada", "other@x.org"});

  ASSERT_TRUE(failed_with(again, error_kind::rejected));
  EXPECT_TRUE(contains(again.error_value().message, "User 42"));
  EXPECT_TRUE(contains(again.error_value().message, "CreateUser"));
}

TEST_F(Aggregates, RejectedCommandLeavesStateUnchanged) {
  create_user("42", "ada@x.org");

  auto again = rt.execute(users::CreateUser{"42", "Impostor", "imp@x.org"});

  ASSERT_TRUE(failed_with(again, error_kind::rejected));
  auto user = rt.state<users::User>("42");
  ASSERT_TRUE(succeeded(user));
  EXPECT_EQ(user->name, "User 42");
  EXPECT_EQ(user->email, "ada@x.org");
  EXPECT_EQ(stream("User-42").size(), 1u);
}

TEST_F(Aggregates, ChangeEmailToTheSameAddressIsRejected) {
  create_user("42", "ada@x.org");

  auto unchanged = rt.execute(users::ChangeEmail{"42", "ada@x.org"});

  ASSERT_TRUE(failed_with(unchanged, error_kind::rejected));
  EXPECT_TRUE(contains(unchanged.error_value().message, "unchanged"));
  auto user = rt.state<users::User>("42");
  ASSERT_TRUE(succeeded(user));
  EXPECT_EQ(user->email_changes, 0);
  EXPECT_EQ(stream("User-42").size(), 1u);
}

TEST_F(Aggregates, ChangeEmailOfAnUnknownUserIsRejected) {
  auto outcome = rt.execute(users::ChangeEmail{"404", "nobody@x.org"});

  ASSERT_TRUE(failed_with(outcome, error_kind::rejected));
  EXPECT_TRUE(contains(outcome.error_value().message, "does not exist"));
  EXPECT_TRUE(stream("User-404").empty());
}

TEST_F(Aggregates, StateReflectsEveryAcceptedCommand) {
  create_user("42", "ada@x.org");
  ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"42", "ada@lovelace.org"})));
  ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"42", "countess@lovelace.org"})));

  auto user = rt.state<users::User>("42");

  ASSERT_TRUE(succeeded(user));
  EXPECT_TRUE(user->exists);
  EXPECT_EQ(user->user_id, "42");
  EXPECT_EQ(user->name, "User 42");
  EXPECT_EQ(user->email, "countess@lovelace.org");
  EXPECT_EQ(user->email_changes, 2);
}

TEST_F(Aggregates, StateOfAnIdWithoutEventsIsTheEmptyState) {
  auto user = rt.state<users::User>("nobody");

  ASSERT_TRUE(succeeded(user));
  EXPECT_FALSE(user->exists);
  EXPECT_EQ(user->email_changes, 0);
}

TEST_F(Aggregates, StateJsonIsTheStateAsAJsonObject) {
  create_user("42", "ada@x.org");

  auto json = rt.state_json("User", "42");

  ASSERT_TRUE(succeeded(json));
  auto user = decode_payload_text<users::User>(*json, "User", unknown_fields::reject);
  ASSERT_TRUE(succeeded(user));
  EXPECT_TRUE(user->exists);
  EXPECT_EQ(user->email, "ada@x.org");
}

TEST_F(Aggregates, StateOfAnUnregisteredAggregateTypeIsUnknownAggregate) {
  EXPECT_TRUE(failed_with(rt.state_json("Invoice", "1"), error_kind::unknown_aggregate));
}

TEST_F(Aggregates, AggregatesWithTheSameIdAreIndependent) {
  create_user("1", "one@x.org");

  ASSERT_TRUE(succeeded(rt.execute(Poke{"1"})));

  auto probe = rt.state<Probe>("1");
  auto user = rt.state<users::User>("1");
  ASSERT_TRUE(succeeded(probe));
  ASSERT_TRUE(succeeded(user));
  EXPECT_EQ(probe->pokes, 1);
  EXPECT_EQ(user->email, "one@x.org");
  EXPECT_EQ(stream("Probe-1").size(), 1u);
  EXPECT_EQ(stream("User-1").size(), 1u);
}

TEST_F(Aggregates, HandlerDecidingNoEventsSucceedsWithNoEvents) {
  auto pinged = rt.execute(Ping{"p"});

  ASSERT_TRUE(succeeded(pinged));
  EXPECT_TRUE(pinged->empty());
  EXPECT_TRUE(stream("Probe-p").empty());
}

TEST_F(Aggregates, ThrowingHandlerFailsTheCommandNamingAggregateIdAndCommand) {
  auto exploded = rt.execute(Explode{"p7"});

  ASSERT_TRUE(failed_with(exploded, error_kind::handler_failed));
  EXPECT_TRUE(contains(exploded.error_value().message, "Probe"));
  EXPECT_TRUE(contains(exploded.error_value().message, "p7"));
  EXPECT_TRUE(contains(exploded.error_value().message, "Explode"));
  EXPECT_TRUE(contains(exploded.error_value().message, "the probe exploded"));
  EXPECT_TRUE(stream("Probe-p7").empty());
}

TEST_F(Aggregates, ThrowingHandlerLeavesItsAggregateServingCommands) {
  ASSERT_TRUE(succeeded(rt.execute(Poke{"p7"})));
  ASSERT_TRUE(failed_with(rt.execute(Explode{"p7"}), error_kind::handler_failed));

  auto poked = rt.execute(Poke{"p7"});

  ASSERT_TRUE(succeeded(poked));
  ASSERT_EQ(poked->size(), 1u);
  EXPECT_EQ(poked->front().version, 2u);
  auto probe = rt.state<Probe>("p7");
  ASSERT_TRUE(succeeded(probe));
  EXPECT_EQ(probe->pokes, 2);
}

TEST_F(Aggregates, ThrowingHandlerLeavesOtherAggregatesServingCommands) {
  ASSERT_TRUE(failed_with(rt.execute(Explode{"p7"}), error_kind::handler_failed));

  EXPECT_TRUE(succeeded(rt.execute(Poke{"p8"})));
  EXPECT_TRUE(succeeded(rt.execute(users::CreateUser{"42", "Ada", "ada@x.org"})));
}

TEST_F(Aggregates, HandlerThrowingANonExceptionFailsTheCommandWithHandlerFailed) {
  auto fumbled = rt.execute(Fumble{"p7"});

  ASSERT_TRUE(failed_with(fumbled, error_kind::handler_failed));
  EXPECT_TRUE(contains(fumbled.error_value().message, "Probe p7"));
  EXPECT_TRUE(contains(fumbled.error_value().message, "Fumble"));
}

// The events are already durable when the event handler throws: the command succeeds (its
// events are recorded), the failure goes to the runtime's log, the instance is dropped (the next
// read rehydrates, and fails the same way) and other aggregates keep serving.
TEST_F(Aggregates, EventHandlerThrowingANonExceptionLeavesOtherAggregatesServing) {
  auto cursed = rt.execute(Poke{cursed_probe});

  ASSERT_TRUE(succeeded(cursed));
  ASSERT_EQ(cursed->size(), 1u);
  EXPECT_EQ(stream("Probe-" + cursed_probe).size(), 1u);
  EXPECT_TRUE(log.has_line_with({"Probe " + cursed_probe, "event handler threw after commit"}));
  EXPECT_TRUE(failed_with(rt.state<Probe>(cursed_probe), error_kind::handler_failed));
  EXPECT_TRUE(succeeded(rt.execute(Poke{"p8"})));
}

TEST_F(Aggregates, HandlerEmittingAnUnregisteredEventTypeIsUnknownEvent) {
  auto outcome = rt.execute(Stray{"p"});

  ASSERT_TRUE(failed_with(outcome, error_kind::unknown_event));
  EXPECT_TRUE(contains(outcome.error_value().message, "Probe p"));
  EXPECT_TRUE(stream("Probe-p").empty());
}

TEST_F(Aggregates, StoredEventOfAnUnknownTypeFailsRehydrationNamingTheAggregate) {
  append_request foreign{"User-9", 0, {{"UserArchived", R"({"user_id": "9"})", {}}}};
  ASSERT_TRUE(succeeded(rt.store().append(foreign)));

  auto changed = rt.execute(users::ChangeEmail{"9", "nine@x.org"});

  ASSERT_TRUE(failed_with(changed, error_kind::unknown_event));
  EXPECT_TRUE(contains(changed.error_value().message, "User 9"));
  EXPECT_TRUE(contains(changed.error_value().message, "UserArchived"));
  EXPECT_TRUE(failed_with(rt.state<users::User>("9"), error_kind::unknown_event));
}

}  // namespace
}  // namespace esk
