// The standard application command line's runtime options: app_definition::runtime_options
// in code, and the --conflict-retries / --timeout-ms flags that override it, run in-process on
// a Counter app whose command handler lets a test step in before it decides (another writer,
// or a handler that does not answer in time).
#include <gtest/gtest.h>

#include <chrono>
#include <esk/esk.hpp>
#include <filesystem>
#include <functional>
#include <future>

#include "../store/temporary_directory.hpp"
#include "esk/app_cli.hpp"
#include "esk/cli/runtime_flags.hpp"
#include "esk/identifiers.hpp"
#include "esk/store/sqlite_store.hpp"
#include "tools_test_support.hpp"

namespace counters {

struct Increment {
  std::string counter_id;
};
BOOST_DESCRIBE_STRUCT(Increment, (), (counter_id))

struct Incremented {
  std::string counter_id;
};
BOOST_DESCRIBE_STRUCT(Incremented, (), (counter_id))

// Runs in Counter's handler before each decision. Set by a test before it runs the command
// line, cleared after; the actor that calls it is told to run by a message sent after the set.
std::function<void()> before_each_decision;
int decisions = 0;  // how many times the handler decided, on the aggregate's actor

struct Counter {
  int count = 0;

  void apply(const Incremented&) { ++count; }

  esk::decision handle(const Increment& command) const {
    ++decisions;
    if (before_each_decision) before_each_decision();
    return esk::emit(Incremented{command.counter_id});
  }
};
BOOST_DESCRIBE_STRUCT(Counter, (), (count))

void register_counter(esk::runtime& rt) {
  rt.aggregate<Counter>("Counter")
      .event<Incremented>("Incremented")
      .command<Increment>("Increment", &Increment::counter_id);
}

}  // namespace counters

namespace esk {
namespace {

constexpr const char* increment_c1 = R"({"type": "Increment", "payload": {"counter_id": "c1"}})";

using testing::cli_outcome;

class AppCliRuntimeOptions : public ::testing::Test {
 protected:
  AppCliRuntimeOptions() {
    app.name = "counter";
    app.register_types = counters::register_counter;
    counters::decisions = 0;
  }
  ~AppCliRuntimeOptions() override { counters::before_each_decision = nullptr; }

  // Runs `counter --db <db> args...`.
  cli_outcome run(std::vector<std::string> args) {
    return testing::run_app_cli_on(app, db, std::move(args));
  }

  // Makes another writer (a second connection to the store file, as another process would
  // be) append to Counter-c1 just before the handler's next decision, once: the command's
  // own append then finds the stream moved on.
  void race_the_next_decision() {
    counters::before_each_decision = [this] {
      counters::before_each_decision = nullptr;
      auto other_writer = open_sqlite_store(db);
      ASSERT_TRUE(other_writer) << other_writer.error_value();
      auto version = (*other_writer)->stream_version("Counter-c1");
      ASSERT_TRUE(version) << version.error_value();
      event_metadata metadata{new_unique_id(), new_unique_id(), "", "", utc_timestamp_now()};
      auto appended =
          (*other_writer)
              ->append(
                  {"Counter-c1", *version, {{"Incremented", R"({"counter_id":"c1"})", metadata}}});
      ASSERT_TRUE(appended) << appended.error_value();
    };
  }

  // Counter-c1's version in the store file; 0 after reporting a failure.
  std::uint64_t stream_version() {
    auto store = open_sqlite_store(db);
    if (!store) {
      ADD_FAILURE() << store.error_value();
      return 0;
    }
    auto version = (*store)->stream_version("Counter-c1");
    if (!version) {
      ADD_FAILURE() << version.error_value();
      return 0;
    }
    return *version;
  }

  testing::temporary_directory directory;
  std::string db = directory.file("counter.db");
  app_definition app;
};

TEST_F(AppCliRuntimeOptions, WithoutRetriesASendThatLosesARaceExitsThree) {
  ASSERT_EQ(run({"send", increment_c1}).exit_code, 0);
  race_the_next_decision();
  auto sent = run({"send", increment_c1});
  EXPECT_EQ(sent.exit_code, 3) << sent.err;
  EXPECT_EQ(sent.err.rfind("counter: conflict: ", 0), 0u) << sent.err;
  EXPECT_EQ(stream_version(), 2u);  // the first send and the other writer's event
}

TEST_F(AppCliRuntimeOptions, ConflictRetriesFlagRereadsAndDecidesAgain) {
  ASSERT_EQ(run({"send", increment_c1}).exit_code, 0);
  race_the_next_decision();
  counters::decisions = 0;
  auto sent = run({"--conflict-retries", "1", "send", increment_c1});
  EXPECT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_EQ(counters::decisions, 2);  // the decision that conflicted, and the retry
  EXPECT_NE(sent.out.find(R"("version":3)"), std::string::npos) << sent.out;
  EXPECT_EQ(stream_version(), 3u);
}

TEST_F(AppCliRuntimeOptions, RuntimeOptionsSetInCodeReachTheRuntime) {
  app.runtime_options.conflict_retries = 1;
  race_the_next_decision();
  auto sent = run({"send", increment_c1});
  EXPECT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_EQ(counters::decisions, 2);
  EXPECT_EQ(stream_version(), 2u);
}

TEST_F(AppCliRuntimeOptions, TheFlagOverridesTheOptionSetInCode) {
  app.runtime_options.conflict_retries = 5;
  race_the_next_decision();
  auto sent = run({"send", increment_c1, "--conflict-retries=0"});
  EXPECT_EQ(sent.exit_code, 3) << sent.err;
  EXPECT_EQ(counters::decisions, 1);
}

TEST_F(AppCliRuntimeOptions, TimeoutFlagBoundsHowLongACommandIsAwaited) {
  // The handler does not answer until the demo, having waited the blocking timeout for it,
  // lets it go; the bound on its wait only keeps a broken build from hanging the test.
  app.runtime_options.blocking_timeout = std::chrono::minutes(1);
  auto release = std::make_shared<std::promise<void>>();
  std::shared_future<void> released = release->get_future().share();
  counters::before_each_decision = [released] { released.wait_for(std::chrono::seconds(10)); };
  app.demo = [release](runtime& rt, std::ostream& out) {
    auto outcome = rt.execute_json(increment_c1);
    release->set_value();
    out << (outcome ? std::string("answered") : to_string(outcome.kind())) << '\n';
    return outcome ? 0 : cli::exit_code_for(outcome.kind());
  };
  auto ran = run({"--timeout-ms", "20", "demo"});
  EXPECT_EQ(ran.exit_code, 1) << ran.out << ran.err;
  EXPECT_EQ(ran.out, "store: " + db + "\ntimeout\n");
}

TEST_F(AppCliRuntimeOptions, ABadFlagValueExitsFourNamingTheFlagAndTheProblem) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--conflict-retries", "-1"}, "--conflict-retries: '-1' is not a non-negative integer"},
      {{"--conflict-retries", "abc"}, "--conflict-retries: 'abc' is not a non-negative integer"},
      {{"--conflict-retries", "10001"},
       "--conflict-retries: '10001' is too large (the maximum is 10000)"},
      {{"--conflict-retries", "99999999999999999999"},
       "--conflict-retries: '99999999999999999999' is too large (the maximum is 10000)"},
      {{"--timeout-ms", "0"}, "--timeout-ms: must be at least 1"},
      {{"--timeout-ms", "86400001"},
       "--timeout-ms: '86400001' is too large (the maximum is 86400000)"},
      {{"--timeout-ms"}, "option '--timeout-ms' needs a value"},
  };
  for (const auto& [flags, message] : cases) {
    std::vector<std::string> args = {"send", increment_c1};
    args.insert(args.end(), flags.begin(), flags.end());
    auto sent = run(args);
    EXPECT_EQ(sent.exit_code, 4) << message;
    EXPECT_NE(sent.err.find(message), std::string::npos) << sent.err;
    EXPECT_EQ(sent.out, "");
  }
  EXPECT_EQ(counters::decisions, 0);
  EXPECT_FALSE(std::filesystem::exists(db));  // refused before the store was opened
}

TEST(RuntimeFlags, FlagsOverrideOnlyTheFieldsTheyName) {
  auto args = cli::arguments::parse({"--timeout-ms", "250"}, cli::runtime_option_flags());
  ASSERT_TRUE(args) << args.error_value();
  runtime_options defaults;
  defaults.conflict_retries = 7;
  defaults.worker_threads = 3;
  auto options = cli::runtime_options_from(*args, defaults);
  ASSERT_TRUE(options) << options.error_value();
  EXPECT_EQ(options->blocking_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(options->conflict_retries, 7u);
  EXPECT_EQ(options->worker_threads, 3u);
}

}  // namespace
}  // namespace esk
