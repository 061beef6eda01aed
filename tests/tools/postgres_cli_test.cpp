// The command lines on a PostgreSQL store: wherever a SQLite file is accepted, a
// postgresql:// connection string opens the database instead.
#include <gtest/gtest.h>

#include "../store/postgres_test_server.hpp"
#include "aggregates/user.hpp"
#include "process_runner.hpp"
#include "tools_test_support.hpp"

namespace esk::testing {
namespace {

constexpr const char* create_ada =
    R"({"type": "CreateUser", "payload": {"user_id": "42", "name": "Ada", "email": "ada@example.org"}})";

app_definition users_app() {
  app_definition app;
  app.name = "testapp";
  app.register_types = [](runtime& rt) { users::register_user(rt); };
  return app;
}

process_outcome kit(const std::vector<std::string>& args) {
  return run_process(ESK_KIT_BINARY, args);
}

TEST(PostgresCommandLine, AppSendsToThePostgresDatabaseAndReadsTheStateBack) {
  const std::string url = postgres_url_or_skip();
  if (url.empty()) return;
  const app_definition app = users_app();

  auto sent = run_app_cli_on(app, url, {"send", create_ada});
  auto state = run_app_cli_on(app, url, {"state", "User", "42"});

  EXPECT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_EQ(
      sent.out.rfind(R"({"stream":"User-42","version":1,"position":1,"type":"UserCreated",)", 0),
      0u)
      << sent.out;
  EXPECT_EQ(state.exit_code, 0) << state.err;
  EXPECT_NE(state.out.find("\"Ada\""), std::string::npos) << state.out;
}

TEST(PostgresCommandLine, KitListsTheStreamsOfAPostgresStore) {
  const std::string url = postgres_url_or_skip();
  if (url.empty()) return;
  ASSERT_EQ(run_app_cli_on(users_app(), url, {"send", create_ada}).exit_code, 0);

  auto listed = kit({"streams", url});

  EXPECT_EQ(listed.exit_code, 0) << listed.describe();
  EXPECT_EQ(listed.out,
            "STREAM   VERSION  EVENTS  LAST_POSITION\n"
            "User-42  1        1       1\n");
}

TEST(PostgresCommandLine, KitOnADatabaseWithoutAStoreFailsWithoutCreatingOneOrShowingThePassword) {
  const std::string url = postgres_url_or_skip();
  if (url.empty()) return;
  // The test server trusts loopback logins, so the password is accepted and ignored.
  const std::string with_password =
      "postgresql://esk:s3cret@" + url.substr(std::string("postgresql://esk@").size());

  auto listed = kit({"streams", with_password});
  auto again = kit({"streams", with_password});

  EXPECT_EQ(listed.exit_code, 5) << listed.describe();
  EXPECT_NE(listed.err.find("holds no event store"), std::string::npos) << listed.err;
  EXPECT_EQ(listed.err.find("s3cret"), std::string::npos) << listed.err;
  EXPECT_EQ(again.exit_code, 5) << "the first inspection created nothing";
}

TEST(PostgresCommandLine, ASearchPathSchemaThatDoesNotExistIsAnErrorNamingTheStore) {
  const std::string url = postgres_url_or_skip();
  if (url.empty()) return;
  const std::string missing_schema =
      postgres_test_server::instance().url() + "?options=-csearch_path%3Dno_such_schema";

  auto sent = run_app_cli_on(users_app(), missing_schema, {"send", create_ada});

  EXPECT_EQ(sent.exit_code, 5) << sent.err;
  EXPECT_NE(sent.err.find("cannot open the store in '" + missing_schema + "'"), std::string::npos)
      << sent.err;
}

TEST(PostgresCommandLine, AMalformedUrlIsBadInputWithoutThePassword) {
  auto listed = kit({"streams", "postgresql://esk:s3cret@127.0.0.1:1/events?no_such_parameter=1"});

  EXPECT_EQ(listed.exit_code, 4) << listed.describe();
  EXPECT_NE(listed.err.find("malformed connection string"), std::string::npos) << listed.err;
  EXPECT_EQ(listed.err.find("s3cret"), std::string::npos) << listed.err;
}

TEST(PostgresCommandLine, KitStatsOfAPostgresStoreShowsNoFileSize) {
  const std::string url = postgres_url_or_skip();
  if (url.empty()) return;
  ASSERT_EQ(run_app_cli_on(users_app(), url, {"send", create_ada}).exit_code, 0);

  auto text = kit({"stats", url});
  auto json = kit({"stats", url, "--json"});

  EXPECT_EQ(text.exit_code, 0) << text.describe();
  EXPECT_EQ(text.out.find("size:"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("events:   1\nstreams:  1\n"), std::string::npos) << text.out;
  EXPECT_EQ(json.exit_code, 0) << json.describe();
  EXPECT_EQ(json.out.find("file_bytes"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find(R"("events":1,"streams":1)"), std::string::npos) << json.out;
}

TEST(PostgresCommandLine, AnIdHoldingANulIsAnotherAggregateNotTheOneBeforeTheNul) {
  const std::string url = postgres_url_or_skip();
  if (url.empty()) return;
  const app_definition app = users_app();
  ASSERT_EQ(run_app_cli_on(app, url, {"send", create_ada}).exit_code, 0);

  auto changed = run_app_cli_on(
      app, url,
      {"send",
       R"({"type": "ChangeEmail", "payload": {"user_id": "42\u0000x", "email": "e@x.org"}})"});

  EXPECT_EQ(changed.exit_code, 2) << changed.err;
  EXPECT_NE(changed.err.find("does not exist"), std::string::npos) << changed.err;
}

TEST(PostgresCommandLine, DemoNamesItsStoreWithoutThePassword) {
  const std::string url = postgres_url_or_skip();
  if (url.empty()) return;
  // The test server trusts loopback logins, so the password is accepted and ignored.
  const std::string with_password =
      "postgresql://esk:s3cret@" + url.substr(std::string("postgresql://esk@").size());
  app_definition app = users_app();
  app.demo = [](runtime&, std::ostream&) { return 0; };

  auto demo = run_app_cli_on(app, with_password, {});

  EXPECT_EQ(demo.exit_code, 0) << demo.err;
  EXPECT_NE(demo.out.find("store: postgresql://esk:***@"), std::string::npos) << demo.out;
  EXPECT_EQ(demo.out.find("s3cret"), std::string::npos) << demo.out;
}

}  // namespace
}  // namespace esk::testing
