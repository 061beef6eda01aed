#include "esk/cli/arguments.hpp"

#include <gtest/gtest.h>

#include "esk/cli/exit_code.hpp"

namespace esk::cli {
namespace {

const option_spec spec{{"db", "limit"}, {"json"}};

TEST(Arguments, SeparatesPositionalArgumentsFromOptionsAndValues) {
  auto parsed = arguments::parse({"events", "--db", "a.db", "x", "--json", "--limit=3"}, spec);
  ASSERT_TRUE(parsed) << parsed.error_value();
  EXPECT_EQ(parsed->positional(), (std::vector<std::string>{"events", "x"}));
  EXPECT_EQ(parsed->value("db"), "a.db");
  EXPECT_EQ(parsed->value("limit"), "3");
  EXPECT_TRUE(parsed->flag("json"));
  EXPECT_FALSE(parsed->value("missing"));
}

TEST(Arguments, DoubleDashEndsOptionsAndSingleDashIsPositional) {
  auto parsed = arguments::parse({"--", "--json", "-"}, spec);
  ASSERT_TRUE(parsed) << parsed.error_value();
  EXPECT_EQ(parsed->positional(), (std::vector<std::string>{"--json", "-"}));
  EXPECT_FALSE(parsed->flag("json"));
}

TEST(Arguments, UnknownOptionIsInvalidArgumentNamingIt) {
  auto parsed = arguments::parse({"--frob"}, spec);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.kind(), error_kind::invalid_argument);
  EXPECT_NE(parsed.error_value().message.find("--frob"), std::string::npos);
  EXPECT_FALSE(arguments::parse({"-x"}, spec));
}

TEST(Arguments, OptionWithoutItsValueIsInvalidArgument) {
  auto parsed = arguments::parse({"--db"}, spec);
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error_value().message.find("needs a value"), std::string::npos);
}

TEST(Arguments, FlagGivenAValueIsInvalidArgument) {
  EXPECT_FALSE(arguments::parse({"--json=yes"}, spec));
}

TEST(Arguments, CountsAreNonNegativeDecimalIntegers) {
  EXPECT_EQ(*parse_count("--limit", "42"), 42u);
  EXPECT_EQ(*parse_count("--limit", "0"), 0u);
  for (const char* bad : {"", "-1", "4x", "x", "1.5", "+3", "99999999999999999999999x"}) {
    auto parsed = parse_count("--limit", bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.kind(), error_kind::invalid_argument);
    EXPECT_EQ(parsed.error_value().message,
              std::string("--limit: '") + bad + "' is not a non-negative integer");
  }
}

TEST(Arguments, ACountBeyondTheMaximumIsTooLargeNamingTheMaximum) {
  auto overflowing = parse_count("--limit", "99999999999999999999");
  ASSERT_FALSE(overflowing);
  EXPECT_EQ(overflowing.kind(), error_kind::invalid_argument);
  EXPECT_EQ(overflowing.error_value().message,
            "--limit: '99999999999999999999' is too large (the maximum is 18446744073709551615)");
  EXPECT_EQ(*parse_count("--limit", "18446744073709551615"), UINT64_MAX);

  auto above_cap = parse_count("--conflict-retries", "101", 100);
  ASSERT_FALSE(above_cap);
  EXPECT_EQ(above_cap.error_value().message,
            "--conflict-retries: '101' is too large (the maximum is 100)");
  EXPECT_EQ(*parse_count("--conflict-retries", "100", 100), 100u);
}

TEST(ExitCode, EachErrorKindMapsToItsDocumentedCode) {
  EXPECT_EQ(exit_code_for(error_kind::rejected), 2);
  EXPECT_EQ(exit_code_for(error_kind::conflict), 3);
  for (auto kind : {error_kind::bad_json, error_kind::bad_payload, error_kind::unknown_command,
                    error_kind::unknown_aggregate, error_kind::invalid_argument})
    EXPECT_EQ(exit_code_for(kind), 4) << to_string(kind);
  for (auto kind : {error_kind::store_unavailable, error_kind::incompatible_store})
    EXPECT_EQ(exit_code_for(kind), 5) << to_string(kind);
  for (auto kind : {error_kind::timeout, error_kind::handler_failed, error_kind::unknown_event,
                    error_kind::shutting_down})
    EXPECT_EQ(exit_code_for(kind), 1) << to_string(kind);
  EXPECT_EQ(exit_not_found, 6);  // no error kind maps to it: the command line decides it
  EXPECT_EQ(exit_code_for(error_kind::overloaded), 7);
}

}  // namespace
}  // namespace esk::cli
