// The seed's walkthrough, end to end: install the kit into a prefix, `init` an app, build it
// with its own two CMake commands, run its specs with ctest, run it twice, send a command, read the
// state (and one that does not exist), and inspect its store with event-sourcing-kit; and the
// same for `init --template orders` (specs, process manager, read model). Slow (each compiles an
// app): about ten to forty seconds each.
#include <gtest/gtest.h>

#include <filesystem>

#include "../store/temporary_directory.hpp"
#include "process_runner.hpp"
#include "tools_test_support.hpp"

namespace esk::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Installs the kit into `prefix`, runs `init <project> <init_args...>` with the installed kit
// and builds the project with the two commands its README gives; the compiler (and, in an
// instrumented build, the sanitizer flags) pinned to the kit's own. Fails the test on any step.
void install_init_and_build(const std::string& prefix, const std::string& project,
                            const std::vector<std::string>& init_args) {
  auto installed = run_process(ESK_CMAKE_COMMAND, {"--install", ESK_BUILD_DIR, "--prefix", prefix});
  ASSERT_EQ(installed.exit_code, 0) << installed.describe();

  std::vector<std::string> init = {"init", project};
  init.insert(init.end(), init_args.begin(), init_args.end());
  auto created = run_process(prefix + "/bin/event-sourcing-kit", init);
  ASSERT_EQ(created.exit_code, 0) << created.describe();

  std::vector<std::string> configure = {"-S", ".", "-B", "build",
                                        "-DCMAKE_CXX_COMPILER=" ESK_CXX_COMPILER};
  const std::string sanitize_flags = ESK_APP_SANITIZE_FLAGS;
  if (!sanitize_flags.empty()) {
    configure.push_back("-DCMAKE_CXX_FLAGS=" + sanitize_flags);
    configure.push_back("-DCMAKE_EXE_LINKER_FLAGS=" + sanitize_flags);
  }
  auto configured = run_process(ESK_CMAKE_COMMAND, configure, project);
  ASSERT_EQ(configured.exit_code, 0) << configured.describe();
  auto built = run_process(ESK_CMAKE_COMMAND, {"--build", "build"}, project);
  ASSERT_EQ(built.exit_code, 0) << built.describe();
}

TEST(GeneratedApp, InstallsInitsBuildsAndRunsTheWalkthrough) {
  temporary_directory directory;
  const std::string prefix = directory.file("prefix");
  const std::string project = directory.file("myapp");
  const std::string kit = prefix + "/bin/event-sourcing-kit";
  const std::string app = project + "/build/myapp";
  ASSERT_NO_FATAL_FAILURE(install_init_and_build(prefix, project, {}));

  // A new user starts with passing specs (esk/testing.hpp), run by ctest.
  auto specs =
      run_process(ESK_CTEST_COMMAND, {"--test-dir", "build", "--output-on-failure"}, project);
  EXPECT_EQ(specs.exit_code, 0) << specs.describe();
  EXPECT_TRUE(contains(specs.out, "100% tests passed, 0 tests failed out of 3")) << specs.out;

  auto first = run_process(app, {}, project);
  EXPECT_EQ(first.exit_code, 0) << first.describe();
  EXPECT_TRUE(contains(first.out,
                       "store: myapp.db\nCreateUser 42: accepted, recorded:\n"
                       R"({"stream":"User-42","version":1,"position":1,"type":"UserCreated")"))
      << first.out;
  EXPECT_TRUE(
      contains(first.out, R"(User 42: {"exists":true,"user_id":"42","name":"Ada Lovelace")"))
      << first.out;
  EXPECT_TRUE(std::filesystem::exists(project + "/myapp.db"));

  auto second = run_process(app, {}, project);
  EXPECT_EQ(second.exit_code, 0) << second.describe();
  EXPECT_TRUE(contains(
      second.out,
      "CreateUser 42: rejected [user_exists]: User 42: CreateUser: user 42 already exists\n"))
      << second.out;
  EXPECT_FALSE(contains(second.out, "accepted")) << second.out;

  const std::string change_email =
      R"({"type": "ChangeEmail", "payload": {"user_id": "42", "email": "ada@lovelace.org"}})";
  auto sent = run_process(app, {"send", change_email}, project);
  EXPECT_EQ(sent.exit_code, 0) << sent.describe();
  EXPECT_EQ(line_count(sent.out), 1u);
  EXPECT_TRUE(contains(sent.out, R"("version":2,"position":2,"type":"UserEmailChanged")"))
      << sent.out;
  auto resent = run_process(app, {"send", change_email}, project);
  EXPECT_EQ(resent.exit_code, 2) << resent.describe();
  EXPECT_EQ(resent.err,
            "myapp: rejected [email_unchanged]: User 42: ChangeEmail: the email is unchanged\n");

  auto state = run_process(app, {"state", "User", "42"}, project);
  EXPECT_EQ(state.exit_code, 0) << state.describe();
  EXPECT_EQ(
      state.out,
      R"({"exists":true,"user_id":"42","name":"Ada Lovelace","email":"ada@lovelace.org","email_changes":1})"
      "\n");

  auto missing = run_process(app, {"state", "User", "7"}, project);
  EXPECT_EQ(missing.exit_code, 6) << missing.describe();
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err, "myapp: not found: User 7 has no events\n");

  std::filesystem::create_directory(project + "/folder.db");
  auto on_directory = run_process(app, {"--db", "folder.db", "state", "User", "42"}, project);
  EXPECT_EQ(on_directory.exit_code, 5) << on_directory.describe();
  EXPECT_TRUE(contains(on_directory.err, "is a directory")) << on_directory.err;

  auto events = run_process(kit, {"events", "myapp.db"}, project);
  EXPECT_EQ(events.exit_code, 0) << events.describe();
  ASSERT_EQ(line_count(events.out), 2u) << events.out;
  EXPECT_EQ(
      // The kit shows events as stored: UserCreated is at schema version 2 (examples/users).
      events.out.rfind(R"({"stream":"User-42","version":1,"position":1,"type":"UserCreated@v2")",
                       0),
      0u);
  EXPECT_TRUE(contains(events.out, R"("type":"UserEmailChanged")"));
}

// The orders template: the process manager ships both demo orders, the SQLite read model shows
// them shipped, and a second run is refused per order without changing the model.
TEST(GeneratedApp, OrdersTemplateBuildsPassesItsSpecsAndShipsTheDemoOrders) {
  temporary_directory directory;
  const std::string prefix = directory.file("prefix");
  const std::string project = directory.file("shop");
  const std::string app = project + "/build/shop";
  ASSERT_NO_FATAL_FAILURE(install_init_and_build(prefix, project, {"--template", "orders"}));

  auto specs =
      run_process(ESK_CTEST_COMMAND, {"--test-dir", "build", "--output-on-failure"}, project);
  EXPECT_EQ(specs.exit_code, 0) << specs.describe();
  EXPECT_TRUE(contains(specs.out, "100% tests passed, 0 tests failed out of 4")) << specs.out;

  const std::string summaries =
      "order_summaries:\n  1 ada 4200 cents shipped\n  2 grace 990 cents shipped\n";
  auto first = run_process(app, {}, project);
  EXPECT_EQ(first.exit_code, 0) << first.describe();
  EXPECT_TRUE(contains(first.out, "PlaceOrder 1: placed\nPlaceOrder 2: placed\n" + summaries))
      << first.out;
  EXPECT_TRUE(std::filesystem::exists(project + "/shop.read.db"));

  auto second = run_process(app, {}, project);
  EXPECT_EQ(second.exit_code, 0) << second.describe();
  EXPECT_TRUE(contains(second.out, "PlaceOrder 1: Order 1: PlaceOrder: order 1 is already placed"))
      << second.out;
  EXPECT_TRUE(contains(second.out, summaries)) << second.out;

  auto shipment = run_process(app, {"state", "Shipment", "1"}, project);
  EXPECT_EQ(shipment.exit_code, 0) << shipment.describe();
  EXPECT_EQ(shipment.out, "{\"shipped\":1}\n");
}

}  // namespace
}  // namespace esk::testing
