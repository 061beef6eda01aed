// The runtime's JSON round trip check (ESK_CHECK_JSON_ROUND_TRIP, on by default in debug builds
// and turned on for this test binary in runtime_tests.cmake): a command whose event would not
// come back from the store as it was applied fails with handler_failed naming the event, and
// nothing is stored; events that survive are stored as before.
#include <gtest/gtest.h>

#include <boost/describe/class.hpp>
#include <memory>
#include <string>

#include "esk/runtime.hpp"
#include "esk/type_name.hpp"
#include "runtime_test_support.hpp"

static_assert(ESK_CHECK_JSON_ROUND_TRIP == 1,
              "esk_runtime_tests must build with the JSON round trip check on");

namespace esk {
namespace {

using testing::contains;
using testing::failed_with;
using testing::succeeded;

struct Opened {
  std::string account_id;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(Opened, (), (account_id, name))

// `new_name` is missing from the description: applied now, lost after a restart.
struct Renamed {
  std::string account_id;
  std::string new_name;
};
BOOST_DESCRIBE_STRUCT(Renamed, (), (account_id))

// `percent` is missing from the description and sits where alignment padding could be, and
// the type has no operator==: only the state it leads to shows the loss.
struct Charged {
  double base = 0;
  int account_number = 0;
  int percent = 0;
};
BOOST_DESCRIBE_STRUCT(Charged, (), (base, account_number))

struct Open {
  std::string account_id;
  std::string name;
};
BOOST_DESCRIBE_STRUCT(Open, (), (account_id, name))

struct Rename {
  std::string account_id;
  std::string new_name;
};
BOOST_DESCRIBE_STRUCT(Rename, (), (account_id, new_name))

struct Charge {
  std::string account_id;
};
BOOST_DESCRIBE_STRUCT(Charge, (), (account_id))

struct Account {
  std::string name;
  int renames = 0;
  double fees = 0;

  void apply(const Opened& event) { name = event.name; }
  void apply(const Renamed& event) {
    name = event.new_name;
    ++renames;
  }
  void apply(const Charged& event) { fees += event.base * event.percent / 100; }

  // Two events in one decision, so the check applies them one after the other.
  decision handle(const Open& command) const {
    return emit(Opened{command.account_id, command.name}, Opened{command.account_id, "Main"});
  }
  decision handle(const Rename& command) const {
    return emit(Renamed{command.account_id, command.new_name});
  }
  decision handle(const Charge&) const { return emit(Charged{40.0, 7, 25}); }
};
BOOST_DESCRIBE_STRUCT(Account, (), (name, renames, fees))

class EventRoundTripCheck : public ::testing::Test {
 protected:
  EventRoundTripCheck() {
    rt.aggregate<Account>("Account")
        .event<Opened>("Opened")
        .event<Renamed>("Renamed")
        .event<Charged>("Charged")
        .command<Open>("Open", &Open::account_id)
        .command<Rename>("Rename", &Rename::account_id)
        .command<Charge>("Charge", &Charge::account_id);
  }

  std::size_t stored_events(const std::string& stream) {
    auto events = rt.store().read_stream(stream);
    EXPECT_TRUE(succeeded(events));
    return events.ok() ? events->size() : 0;
  }

  runtime rt{make_memory_store()};
};

TEST_F(EventRoundTripCheck, EventsThatSurviveTheirRoundTripAreStored) {
  auto opened = rt.execute(Open{"a-1", "Savings"});

  ASSERT_TRUE(succeeded(opened));
  EXPECT_EQ(opened->size(), 2u);
  EXPECT_EQ(stored_events("Account-a-1"), 2u);
}

TEST_F(EventRoundTripCheck, EventWithAnUndescribedMemberFailsTheCommandNamingTheEvent) {
  ASSERT_TRUE(succeeded(rt.execute(Open{"a-1", "Savings"})));

  auto renamed = rt.execute(Rename{"a-1", "Holidays"});

  ASSERT_TRUE(failed_with(renamed, error_kind::handler_failed));
  const std::string& message = renamed.error_value().message;
  EXPECT_TRUE(contains(message, "Renamed (" + readable_type_name(typeid(Renamed)) + ")"));
  EXPECT_TRUE(contains(message, "(after member 'account_id')"));
  EXPECT_TRUE(contains(message, "BOOST_DESCRIBE_STRUCT"));
  EXPECT_EQ(stored_events("Account-a-1"), 2u);  // the lossy event was not stored
  auto state = rt.state<Account>("a-1");
  ASSERT_TRUE(succeeded(state));
  EXPECT_EQ(state->name, "Main");  // nor applied
}

TEST_F(EventRoundTripCheck, LossThatOnlyTheStateShowsFailsTheCommand) {
  auto charged = rt.execute(Charge{"a-2"});

  ASSERT_TRUE(failed_with(charged, error_kind::handler_failed));
  const std::string& message = charged.error_value().message;
  EXPECT_TRUE(contains(message, "Charged (" + readable_type_name(typeid(Charged)) + ")"));
  EXPECT_TRUE(contains(message, "leads to the state"));
  EXPECT_EQ(stored_events("Account-a-2"), 0u);
}

}  // namespace
}  // namespace esk
