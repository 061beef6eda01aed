// The standard application command line, run in-process on the User aggregate that init
// copies from examples/users, the same types a generated application registers.
#include "esk/app_cli.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../store/temporary_directory.hpp"
#include "aggregates/user.hpp"
#include "tools_test_support.hpp"

namespace esk {
namespace {

constexpr const char* create_ada =
    R"({"type": "CreateUser", "payload": {"user_id": "42", "name": "Ada", "email": "ada@example.org"}})";

using testing::cli_outcome;

class AppCli : public ::testing::Test {
 protected:
  AppCli() {
    app.name = "testapp";
    app.register_types = [](runtime& rt) { users::register_user(rt); };
    app.demo = [](runtime& rt, std::ostream& out) {
      out << "demo ran with " << rt.commands().names().size() << " command types\n";
      return 0;
    };
  }

  // Runs `testapp --db <db> args...`.
  cli_outcome run(std::vector<std::string> args) {
    return testing::run_app_cli_on(app, db, std::move(args));
  }

  testing::temporary_directory directory;
  std::string db = directory.file("app.db");
  app_definition app;
};

TEST_F(AppCli, WithoutACommandRunsTheDemoOnTheStore) {
  auto ran = run({});
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.out, "store: " + db + "\ndemo ran with 2 command types\n");
  EXPECT_TRUE(std::filesystem::exists(db));
  EXPECT_EQ(run({"demo"}).out, ran.out);
}

TEST_F(AppCli, SendPrintsTheRecordedEventsAsJsonLines) {
  auto sent = run({"send", create_ada});
  EXPECT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_EQ(testing::line_count(sent.out), 1u);
  EXPECT_EQ(
      sent.out.rfind(R"({"stream":"User-42","version":1,"position":1,"type":"UserCreated",)", 0),
      0u)
      << sent.out;
  EXPECT_EQ(sent.err, "");
}

TEST_F(AppCli, SendOfARejectedCommandExitsTwoWithTheReason) {
  ASSERT_EQ(run({"send", create_ada}).exit_code, 0);
  auto again = run({"send", create_ada});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(again.err,
            "testapp: rejected [user_exists]: User 42: CreateUser: user 42 already exists\n");
}

TEST_F(AppCli, SendOfBadInputExitsFourNamingTheProblem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{not json", "testapp: bad_json: "},
      {R"({"payload": {}})", "testapp: bad_json: "},
      {R"({"type": "DeleteUser", "payload": {}})", "testapp: unknown_command: "},
      {R"({"type": "CreateUser", "payload": {"user_id": "42"}})", "testapp: bad_payload: "},
      {R"({"type": "CreateUser", "payload": {"user_id": "", "name": "", "email": "a@b"}})",
       "testapp: invalid_argument: "},
  };
  for (const auto& [json, error_start] : cases) {
    auto sent = run({"send", json});
    EXPECT_EQ(sent.exit_code, 4) << json;
    EXPECT_EQ(sent.err.rfind(error_start, 0), 0u) << sent.err;
    EXPECT_EQ(testing::line_count(sent.err), 1u) << sent.err;
  }
}

TEST_F(AppCli, StatePrintsTheAggregateAsJson) {
  ASSERT_EQ(run({"send", create_ada}).exit_code, 0);
  auto state = run({"state", "User", "42"});
  EXPECT_EQ(state.exit_code, 0) << state.err;
  EXPECT_EQ(
      state.out,
      R"({"exists":true,"user_id":"42","name":"Ada","email":"ada@example.org","email_changes":0})"
      "\n");
}

TEST_F(AppCli, StateOfAnAggregateWithoutEventsIsNotFoundWithNothingOnStdout) {
  ASSERT_EQ(run({"send", create_ada}).exit_code, 0);
  auto state = run({"state", "User", "7"});
  EXPECT_EQ(state.exit_code, 6);
  EXPECT_EQ(state.out, "");
  EXPECT_EQ(state.err, "testapp: not found: User 7 has no events\n");
}

TEST_F(AppCli, StateOfAnUnknownAggregateTypeExitsFour) {
  ASSERT_EQ(run({"send", create_ada}).exit_code, 0);
  auto state = run({"state", "Order", "42"});
  EXPECT_EQ(state.exit_code, 4);
  EXPECT_EQ(state.err, "testapp: unknown_aggregate: unknown aggregate type 'Order'\n");
}

TEST_F(AppCli, QueriesOnAMissingStoreExitFiveAndCreateNothing) {
  for (auto args :
       {std::vector<std::string>{"state", "User", "42"}, std::vector<std::string>{"events"}}) {
    auto queried = run(args);
    EXPECT_EQ(queried.exit_code, 5) << args.front();
    EXPECT_EQ(queried.err,
              "testapp: store_unavailable: cannot open store '" + db + "': no such file\n");
  }
  EXPECT_FALSE(std::filesystem::exists(db));
}

TEST_F(AppCli, ADirectoryGivenAsTheStoreExitsFiveSayingSo) {
  db = directory.file("a-folder.db");
  std::filesystem::create_directory(db);
  for (auto args :
       {std::vector<std::string>{"send", create_ada},
        std::vector<std::string>{"state", "User", "42"}, std::vector<std::string>{"events"}}) {
    auto ran = run(args);
    EXPECT_EQ(ran.exit_code, 5) << args.front();
    EXPECT_EQ(testing::line_count(ran.err), 1u) << ran.err;
    EXPECT_NE(ran.err.find("is a directory"), std::string::npos) << ran.err;
  }
}

TEST_F(AppCli, AFileThatIsNotAStoreExitsFive) {
  std::ofstream(db) << "not a database, just text that is long enough to have a header......";
  auto queried = run({"events"});
  EXPECT_EQ(queried.exit_code, 5);
  EXPECT_EQ(queried.err.rfind("testapp: incompatible_store: ", 0), 0u) << queried.err;
}

TEST_F(AppCli, EventsPrintsTheFilteredLogAsJsonLines) {
  ASSERT_EQ(run({"send", create_ada}).exit_code, 0);
  ASSERT_EQ(
      run({"send", R"({"type": "ChangeEmail", "payload": {"user_id": "42", "email": "a@l.org"}})"})
          .exit_code,
      0);
  EXPECT_EQ(testing::line_count(run({"events"}).out), 2u);
  auto changed = run({"events", "--type", "UserEmailChanged"});
  EXPECT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_EQ(testing::line_count(changed.out), 1u);
  EXPECT_NE(changed.out.find(R"("position":2)"), std::string::npos) << changed.out;
  EXPECT_EQ(testing::line_count(run({"events", "--stream", "User-42", "--from", "2"}).out), 1u);
  EXPECT_EQ(testing::line_count(run({"events", "--limit", "1"}).out), 1u);
  EXPECT_EQ(run({"events", "--stream", "User-7"}).out, "");
}

TEST_F(AppCli, UsageMistakesExitFourWithOneLine) {
  const std::vector<std::vector<std::string>> mistakes = {
      {"frobnicate"},
      {"send"},
      {"send", "{}", "{}"},
      {"state", "User"},
      {"events", "extra"},
      {"--verbose"},
      {"send", "--limit", "3", "{}"},
      {"events", "--limit", "many"},
  };
  for (const auto& args : mistakes) {
    auto ran = run(args);
    EXPECT_EQ(ran.exit_code, 4) << args.front();
    EXPECT_EQ(testing::line_count(ran.err), 1u) << ran.err;
    EXPECT_NE(ran.err.find("(see 'testapp help')"), std::string::npos) << ran.err;
  }
}

TEST_F(AppCli, ANumberTooLargeForAnOptionIsTooLargeNotMalformed) {
  auto listed = run({"events", "--limit", "99999999999999999999"});
  EXPECT_EQ(listed.exit_code, 4);
  EXPECT_EQ(listed.err,
            "testapp: --limit: '99999999999999999999' is too large (the maximum is "
            "18446744073709551615) (see 'testapp help')\n");
}

TEST_F(AppCli, HelpPrintsTheUsageWithTheDefaultStore) {
  for (const char* help : {"help", "--help"}) {
    auto ran = run({help});
    EXPECT_EQ(ran.exit_code, 0);
    EXPECT_EQ(ran.out.rfind("usage: testapp [--db STORE] [--conflict-retries N] [--timeout-ms N] "
                            "[command]",
                            0),
              0u)
        << ran.out;
    EXPECT_NE(ran.out.find("(default: testapp.db)"), std::string::npos);
    EXPECT_NE(ran.out.find("2 rejected, 3 conflict, 4 bad input"), std::string::npos);
    EXPECT_NE(ran.out.find("6 not found"), std::string::npos);
  }
}

TEST_F(AppCli, AnAppWithoutADemoSaysSo) {
  app.demo = nullptr;
  auto ran = run({});
  EXPECT_EQ(ran.exit_code, 4);
  EXPECT_EQ(ran.err, "testapp: testapp has no demo (see 'testapp help')\n");
}

}  // namespace
}  // namespace esk
