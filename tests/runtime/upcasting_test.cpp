// Event schema evolution: stored events of older schema versions are upcast (esk/upcasting.hpp)
// on every read — rehydration, typed and untyped projections, command answers — and an event
// too new for this build is refused with unknown_event naming its type and version.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "esk/esk.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace upcasting_test {

// Version 3 of Opened. Version 1 was {"owner"}; version 2 split the owner's name into
// {"first", "last"}; version 3 added the currency.
struct Opened {
  std::string first;
  std::string last;
  std::string currency;
};
BOOST_DESCRIBE_STRUCT(Opened, (), (first, last, currency))

struct Deposited {
  int amount = 0;
};
BOOST_DESCRIBE_STRUCT(Deposited, (), (amount))

struct Open {
  std::string account_id;
  std::string first;
  std::string last;
};
BOOST_DESCRIBE_STRUCT(Open, (), (account_id, first, last))

struct Account {
  std::string holder;
  std::string currency;
  int balance = 0;
  int deposits = 0;

  void apply(const Opened& event) {
    holder = event.first + " " + event.last;
    currency = event.currency;
  }
  void apply(const Deposited& event) {
    balance += event.amount;
    ++deposits;
  }
  decision handle(const Open& command) const {
    return emit(Opened{command.first, command.last, "EUR"});
  }
};
BOOST_DESCRIBE_STRUCT(Account, (), (holder, currency, balance, deposits))

// v1 -> v2: "owner" ("Ada Lovelace") becomes "first" and "last".
boost::json::object split_owner(boost::json::object v1) {
  const std::string owner(v1.at("owner").as_string());
  const auto space = owner.find(' ');
  boost::json::object v2;
  v2["first"] = owner.substr(0, space);
  v2["last"] = space == std::string::npos ? "" : owner.substr(space + 1);
  return v2;
}

// v2 -> v3: accounts opened before currencies existed were in euros.
boost::json::object add_currency(boost::json::object v2) {
  v2["currency"] = "EUR";
  return v2;
}

void register_account(runtime& rt) {
  rt.aggregate<Account>("Account")
      .event<Opened>("Opened", schema_version{3})
      .upcast("Opened", 1, split_owner)
      .upcast("Opened", 2, add_currency)
      .event<Deposited>("Deposited")
      // A rename with a split: the old "OpenedWithDeposit" v1 ({"owner", "amount"}) is read as
      // an Opened v1 followed by a Deposited.
      .upcast("OpenedWithDeposit", 1,
              [](boost::json::object old) {
                boost::json::object opened;
                opened["owner"] = old.at("owner");
                boost::json::object deposited;
                deposited["amount"] = old.at("amount");
                return std::vector<upcast_event>{{"Opened", 1, std::move(opened)},
                                                 {"Deposited", 1, std::move(deposited)}};
              })
      .command<Open>("Open", &Open::account_id);
}

// Appends one stored event, as an older (or newer) build wrote it.
void store_event(event_store& store, const std::string& stream, const std::string& type,
                 const std::string& payload) {
  auto version = store.stream_version(stream);
  ASSERT_TRUE(version) << version.error_value();
  append_request request{stream, *version, {}};
  request.events.push_back({type,
                            payload,
                            {"event-" + stream + "-" + std::to_string(*version + 1), "c", "c", "c",
                             "2026-01-01T00:00:00.000Z"}});
  auto appended = store.append(request);
  ASSERT_TRUE(appended) << appended.error_value();
}

// An untyped projection that keeps the type and payload of each event it sees.
class seen_events : public projection {
 public:
  std::string name() const override { return "seen"; }
  void apply(const recorded_event& event) override {
    std::lock_guard<std::mutex> lock{mutex_};
    seen_.push_back(event.type + " " + event.payload + " " + event.metadata.event_id);
  }
  std::vector<std::string> seen() const {
    std::lock_guard<std::mutex> lock{mutex_};
    return seen_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> seen_;
};

class Upcasting : public ::testing::Test {
 protected:
  std::shared_ptr<event_store> store = make_memory_store();
};

TEST_F(Upcasting, RehydrationReadsAVersionOneEventThroughTwoUpcasters) {
  store_event(*store, "Account-1", "Opened", R"({"owner":"Ada Lovelace"})");
  runtime rt{store};
  register_account(rt);

  auto account = rt.state<Account>("1");

  ASSERT_TRUE(account) << account.error_value();
  EXPECT_EQ(account->holder, "Ada Lovelace");
  EXPECT_EQ(account->currency, "EUR");
}

TEST_F(Upcasting, RehydrationReadsAVersionTwoEventThroughOneUpcaster) {
  store_event(*store, "Account-1", "Opened@v2", R"({"first":"Ada","last":"Byron"})");
  runtime rt{store};
  register_account(rt);

  auto account = rt.state<Account>("1");

  ASSERT_TRUE(account) << account.error_value();
  EXPECT_EQ(account->holder, "Ada Byron");
  EXPECT_EQ(account->currency, "EUR");
}

TEST_F(Upcasting, NewEventsAreStoredWithTheirVersionAndAnsweredUnderTheCurrentName) {
  runtime rt{store};
  register_account(rt);

  auto opened = rt.execute(Open{"1", "Ada", "Lovelace"});

  ASSERT_TRUE(opened) << opened.error_value();
  ASSERT_EQ(opened->size(), 1u);
  EXPECT_EQ(opened->front().type, "Opened");
  auto stored = store->read_stream("Account-1");
  ASSERT_TRUE(stored) << stored.error_value();
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->front().type, "Opened@v3");
  EXPECT_EQ(stored->front().payload, R"({"first":"Ada","last":"Lovelace","currency":"EUR"})");
}

TEST_F(Upcasting, ACommandSentAgainIsAnsweredWithItsFirstEventsInTheCurrentSchema) {
  store_event(*store, "Account-1", "Opened", R"({"owner":"Ada Lovelace"})");  // command "c"
  runtime rt{store};
  register_account(rt);

  auto again = rt.execute(Open{"1", "Grace", "Hopper"}, {"c", "", ""});

  ASSERT_TRUE(again) << again.error_value();
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ(again->front().type, "Opened");
  EXPECT_EQ(again->front().payload, R"({"first":"Ada","last":"Lovelace","currency":"EUR"})");
  EXPECT_EQ(again->front().metadata.command_id, "c");
}

TEST_F(Upcasting, ARenamedAndSplitEventIsAppliedAsItsParts) {
  store_event(*store, "Account-1", "OpenedWithDeposit", R"({"owner":"Ada Lovelace","amount":5})");
  store_event(*store, "Account-1", "Deposited", R"({"amount":7})");
  runtime rt{store};
  register_account(rt);

  auto account = rt.versioned_state<Account>("1");

  ASSERT_TRUE(account) << account.error_value();
  EXPECT_EQ(account->state.holder, "Ada Lovelace");
  EXPECT_EQ(account->state.balance, 12);
  EXPECT_EQ(account->state.deposits, 2);
  EXPECT_EQ(account->version, 2u) << "the stream version counts stored events, not parts";
}

TEST_F(Upcasting, ATypedProjectionSeesTheCurrentTypeThroughTwoVersions) {
  store_event(*store, "Account-1", "Opened", R"({"owner":"Ada Lovelace"})");
  store_event(*store, "Account-2", "Opened@v2", R"({"first":"Grace","last":"Hopper"})");
  runtime rt{store};
  register_account(rt);
  auto holders = std::make_shared<std::vector<std::string>>();
  typed_projection by_holder("holders");
  by_holder.on<Opened>([holders](const Opened& opened, const event_context& at) {
    holders->push_back(at.stream() + " " + at.type() + " " + opened.first + " " + opened.last +
                       " " + opened.currency);
  });
  rt.add_projection(by_holder);

  ASSERT_TRUE(rt.sync_projections());

  EXPECT_EQ(*holders, (std::vector<std::string>{"Account-1 Opened Ada Lovelace EUR",
                                                "Account-2 Opened Grace Hopper EUR"}));
}

TEST_F(Upcasting, AnUntypedProjectionSeesTheCurrentSchemaAndEachPartOfASplit) {
  store_event(*store, "Account-1", "Opened", R"({"owner":"Ada Lovelace"})");
  store_event(*store, "Account-2", "OpenedWithDeposit", R"({"owner":"Grace Hopper","amount":5})");
  runtime rt{store};
  register_account(rt);
  auto seen = std::make_shared<seen_events>();
  rt.add_projection(seen);

  ASSERT_TRUE(rt.sync_projections());

  EXPECT_EQ(seen->seen(),
            (std::vector<std::string>{
                R"(Opened {"first":"Ada","last":"Lovelace","currency":"EUR"} event-Account-1-1)",
                R"(Opened {"first":"Grace","last":"Hopper","currency":"EUR"} event-Account-2-1/1)",
                R"(Deposited {"amount":5} event-Account-2-1/2)"}));
}

TEST_F(Upcasting, AVersionNewerThanRegisteredIsRefusedNamingTypeAndVersion) {
  store_event(*store, "Account-1", "Opened@v4", R"({"first":"Ada","last":"L","currency":"EUR"})");
  runtime rt{store};
  register_account(rt);

  auto account = rt.state<Account>("1");

  ASSERT_FALSE(account);
  EXPECT_EQ(account.kind(), error_kind::unknown_event);
  EXPECT_NE(account.error_value().message.find("event type 'Opened' version 4"), std::string::npos)
      << account.error_value().message;
}

TEST_F(Upcasting, AnUnknownTypeIsRefusedNamingTypeAndVersion) {
  store_event(*store, "Account-1", "Closed@v2", R"({})");
  runtime rt{store};
  register_account(rt);

  auto account = rt.state<Account>("1");

  ASSERT_FALSE(account);
  EXPECT_EQ(account.kind(), error_kind::unknown_event);
  EXPECT_NE(account.error_value().message.find("event type 'Closed' version 2"), std::string::npos)
      << account.error_value().message;
}

TEST_F(Upcasting, ATypedProjectionHandlingATooNewEventStopsInsteadOfMisreadingIt) {
  store_event(*store, "Account-1", "Opened@v4", R"({"first":"Ada","last":"L","currency":"EUR"})");
  runtime rt{store};
  register_account(rt);
  typed_projection by_holder("holders");
  by_holder.on<Opened>([](const Opened&, const event_context&) {});
  rt.add_projection(by_holder);

  auto synced = rt.sync_projections();

  ASSERT_FALSE(synced);
  EXPECT_NE(synced.error_value().message.find("event type 'Opened' version 4"), std::string::npos)
      << synced.error_value().message;
}

TEST_F(Upcasting, AnUpcasterThatThrowsFailsTheReadWithBadPayload) {
  store_event(*store, "Account-1", "Opened", R"({"no_owner":true})");
  runtime rt{store};
  register_account(rt);

  auto account = rt.state<Account>("1");

  ASSERT_FALSE(account);
  EXPECT_EQ(account.kind(), error_kind::bad_payload);
  EXPECT_NE(account.error_value().message.find("the upcaster of event type 'Opened' version 1"),
            std::string::npos)
      << account.error_value().message;
}

TEST(UpcastingRegistration, AnUpcasterThatLeadsNowhereIsAProgrammingError) {
  runtime rt{make_memory_store()};
  auto builder = rt.aggregate<Account>("Account");
  builder.event<Opened>("Opened", schema_version{3});
  EXPECT_THROW(builder.upcast("Opened", 3, add_currency), std::logic_error);
  builder.upcast("Opened", 2, add_currency);
  EXPECT_THROW(builder.upcast("Opened", 2, add_currency), std::logic_error);
  EXPECT_THROW(builder.event<Deposited>("Deposited@v2"), std::logic_error);
}

TEST(StoredTypeName, CarriesTheVersionAfterOne) {
  EXPECT_EQ(stored_type_name("Opened", 1), "Opened");
  EXPECT_EQ(stored_type_name("Opened", 3), "Opened@v3");
  EXPECT_EQ(parse_stored_type("Opened@v3").name, "Opened");
  EXPECT_EQ(parse_stored_type("Opened@v3").version, 3u);
  EXPECT_EQ(parse_stored_type("Opened").version, 1u);
  EXPECT_EQ(parse_stored_type("Opened@vx").name, "Opened@vx");
  EXPECT_EQ(parse_stored_type("Opened@v0").version, 1u);
}

}  // namespace upcasting_test
}  // namespace esk
