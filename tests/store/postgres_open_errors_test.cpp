// When opening a PostgreSQL store fails in its schema step, the error names the store exactly
// once: the schema's own verdicts say "'<store>' holds ...", and a statement the server refuses
// says "cannot open the store in '<store>': <the server's reason>".
#include <gtest/gtest.h>

#include <string>

#include "esk/store/postgres_store.hpp"
#include "postgres_connection.hpp"
#include "postgres_test_server.hpp"

namespace esk {
namespace {

// How many times `part` occurs in `text`.
std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

// Runs `sql` on the database of `url`, as another program sharing it would.
void run_on(const std::string& url, const std::string& sql) {
  auto connection = postgres_connection::connect(url, "test");
  ASSERT_TRUE(connection.ok()) << connection.error_value();
  auto done = (*connection)->run(sql);
  ASSERT_TRUE(done.ok()) << done.error_value();
}

TEST(PostgresOpenErrors, AStoreOfANewerSchemaVersionIsIncompatibleNamingTheStoreOnce) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  ASSERT_TRUE(open_postgres_store(url).ok());
  run_on(url, "UPDATE esk_schema SET version = 99");

  auto reopened = open_postgres_store(url);

  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error_value().kind, error_kind::incompatible_store);
  const std::string& message = reopened.error_value().message;
  EXPECT_EQ(message.rfind("'" + url + "' holds an event store of schema version 99; ", 0), 0u)
      << message;
  EXPECT_EQ(occurrences(message, url), 1u) << message;
}

// An upgrade the server refuses (here: the earlier build's append function cannot be dropped
// because a view of another program uses it) fails the open, naming the store once.
TEST(PostgresOpenErrors, AnUpgradeTheServerRefusesFailsTheOpenNamingTheStoreOnce) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  ASSERT_TRUE(open_postgres_store(url).ok());
  run_on(url,
         "DROP FUNCTION esk_append_batch(jsonb);"
         " CREATE FUNCTION esk_append_batch(requests jsonb) RETURNS TABLE"
         " (outcome text, stream_version bigint, first_position bigint)"
         " LANGUAGE sql AS $$ SELECT 'ok'::text, 1::bigint, 1::bigint $$;"
         " CREATE VIEW uses_the_earlier_append AS SELECT * FROM esk_append_batch('[]')");

  auto reopened = open_postgres_store(url);

  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error_value().kind, error_kind::store_unavailable);
  const std::string& message = reopened.error_value().message;
  EXPECT_EQ(message.rfind("cannot open the store in '" + url + "': PostgreSQL refused", 0), 0u)
      << message;
  EXPECT_NE(message.find("other objects depend on it"), std::string::npos) << message;
  EXPECT_EQ(occurrences(message, url), 1u) << message;
}

}  // namespace
}  // namespace esk
