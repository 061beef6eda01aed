// `myapp events` shows the log in the current schema: stored events of older schema versions
// go through the app's upcasters (esk/upcasting.hpp), and an event too new for the app is
// refused with unknown_event naming its type and version.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../store/temporary_directory.hpp"
#include "esk/app_cli.hpp"
#include "esk/esk.hpp"
#include "tools_test_support.hpp"

namespace esk {
namespace app_cli_upcasting_test {

// Version 3 of Opened: version 1 was {"owner"}, version 2 {"first", "last"}, version 3 added
// the currency.
struct Opened {
  std::string first;
  std::string last;
  std::string currency;
};
BOOST_DESCRIBE_STRUCT(Opened, (), (first, last, currency))

struct Account {
  std::string holder;
  void apply(const Opened& event) { holder = event.first + " " + event.last; }
};

void register_account(runtime& rt) {
  rt.aggregate<Account>("Account")
      .event<Opened>("Opened", schema_version{3})
      .upcast("Opened", 1,
              [](boost::json::object v1) {
                const std::string owner(v1.at("owner").as_string());
                const auto space = owner.find(' ');
                boost::json::object v2;
                v2["first"] = owner.substr(0, space);
                v2["last"] = owner.substr(space + 1);
                return v2;
              })
      .upcast("Opened", 2, [](boost::json::object v2) {
        v2["currency"] = "EUR";
        return v2;
      });
}

class AppCliUpcasting : public ::testing::Test {
 protected:
  AppCliUpcasting() {
    app.name = "testapp";
    app.register_types = register_account;
  }

  // Appends one event as an older (or newer) build stored it.
  void store_event(const std::string& stream, const std::string& type, const std::string& payload) {
    auto store = open_sqlite_store(db);
    ASSERT_TRUE(store) << store.error_value();
    auto version = (*store)->stream_version(stream);
    ASSERT_TRUE(version) << version.error_value();
    append_request request{stream, *version, {}};
    request.events.push_back({type, payload, {"e", "c", "c", "c", "2026-01-01T00:00:00.000Z"}});
    auto appended = (*store)->append(request);
    ASSERT_TRUE(appended) << appended.error_value();
  }

  testing::cli_outcome run(std::vector<std::string> args) {
    return testing::run_app_cli_on(app, db, std::move(args));
  }

  testing::temporary_directory directory;
  std::string db = directory.file("app.db");
  app_definition app;
};

TEST_F(AppCliUpcasting, EventsShowsAVersionOneEventThroughTwoUpcasters) {
  store_event("Account-1", "Opened", R"({"owner":"Ada Lovelace"})");
  store_event("Account-2", "Opened@v2", R"({"first":"Grace","last":"Hopper"})");

  auto listed = run({"events"});

  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const std::string line_one = R"({"stream":"Account-1","version":1,"position":1,"type":"Opened",)"
                               R"("payload":{"first":"Ada","last":"Lovelace","currency":"EUR"},)";
  const std::string line_two = R"({"stream":"Account-2","version":1,"position":2,"type":"Opened",)"
                               R"("payload":{"first":"Grace","last":"Hopper","currency":"EUR"},)";
  EXPECT_EQ(testing::line_count(listed.out), 2u) << listed.out;
  EXPECT_EQ(listed.out.rfind(line_one, 0), 0u) << listed.out;
  EXPECT_NE(listed.out.find("\n" + line_two), std::string::npos) << listed.out;
}

TEST_F(AppCliUpcasting, EventsFiltersByTheCurrentTypeName) {
  store_event("Account-1", "Opened", R"({"owner":"Ada Lovelace"})");

  EXPECT_EQ(testing::line_count(run({"events", "--type", "Opened"}).out), 1u);
}

TEST_F(AppCliUpcasting, EventsRefusesAnEventTooNewNamingItsTypeAndVersion) {
  store_event("Account-1", "Opened@v4", R"({"first":"Ada","last":"L","currency":"EUR","x":1})");

  auto listed = run({"events"});

  EXPECT_EQ(listed.exit_code, 1);
  EXPECT_EQ(listed.out, "");
  EXPECT_EQ(listed.err.rfind("testapp: unknown_event: event type 'Opened' version 4 is newer", 0),
            0u)
      << listed.err;
}

}  // namespace app_cli_upcasting_test
}  // namespace esk
