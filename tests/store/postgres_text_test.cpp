// What PostgreSQL's text cannot hold (a NUL byte; bytes that are not UTF-8) never makes the
// store answer for another name, and an append holding it is refused alone, as bad input,
// instead of failing its whole batch as an unavailable store.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "esk/store/postgres_store.hpp"
#include "postgres_test_server.hpp"
#include "postgres_text_checks.hpp"
#include "store_test_events.hpp"

namespace esk {
namespace {

using testing::make_request;
using testing::opened;

const std::string name_with_nul("User-42\0x", 9);

TEST(PostgresText, UnstorableTextNamesANulByteAndBytesThatAreNotUtf8) {
  EXPECT_EQ(unstorable_text("plain ascii, long enough for a word at a time"), "");
  EXPECT_EQ(unstorable_text("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8E\x89"), "");
  EXPECT_EQ(unstorable_text(std::string("0123456789\0", 11)), "holds a NUL byte at offset 10");
  EXPECT_EQ(unstorable_text("ab\xC0\xAF"), "is not UTF-8 at offset 2");        // overlong '/'
  EXPECT_EQ(unstorable_text("ab\xED\xA0\x80"), "is not UTF-8 at offset 2");    // a surrogate
  EXPECT_EQ(unstorable_text("abcdefgh\xE2\x82"), "is not UTF-8 at offset 8");  // cut short
  EXPECT_EQ(unstorable_text("\xFF"), "is not UTF-8 at offset 0");
}

TEST(PostgresText, AFieldJudgedAsANameIsAlsoHeldToTheLongestNameAndDescribedOnlyWhenRefused) {
  int described = 0;
  const auto what = [&described] {
    ++described;
    return std::string("append to stream 'x'");
  };
  const std::string long_text(3000, 'a');

  auto as_text = check_storable_field(stored_as::text, "payload", long_text, what);
  auto as_name = check_storable_field(stored_as::name, "name", long_text, what);
  auto with_nul = check_storable_field(stored_as::text, "payload", std::string("ab\0", 3), what);

  EXPECT_FALSE(as_text.has_value());
  EXPECT_EQ(described, 2) << "described for the two refusals only";
  ASSERT_TRUE(as_name.has_value());
  EXPECT_EQ(as_name->kind, error_kind::invalid_argument);
  EXPECT_EQ(as_name->message,
            "cannot append to stream 'x': its name is 3000 bytes long (at most 2600), which "
            "PostgreSQL cannot store");
  ASSERT_TRUE(with_nul.has_value());
  EXPECT_EQ(with_nul->message,
            "cannot append to stream 'x': its payload holds a NUL byte at offset 2, which "
            "PostgreSQL cannot store");
}

// The append, the snapshot and the checkpoint each name what they were to do, the field, and
// why PostgreSQL cannot store it.
TEST(PostgresText, EachWriteRefusesUnstorableTextNamingTheWriteTheFieldAndWhy) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = opened(open_postgres_store(url));
  auto bad_type = make_request("User-1", 0);
  bad_type.events[0].type = "Created\xFF";

  auto appended = store->append(bad_type);
  auto written = store->write_snapshot(snapshot{"User-1", 1, 1, "{\"a\":\"\xC0\xAF\"}", "now"});
  auto saved = store->save_checkpoint(name_with_nul, 1);

  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.error_value().message,
            "cannot append to stream 'User-1': its event type is not UTF-8 at offset 7, which "
            "PostgreSQL cannot store");
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error_value().kind, error_kind::invalid_argument);
  EXPECT_EQ(written.error_value().message,
            "cannot write the snapshot of 'User-1': its state is not UTF-8 at offset 6, which "
            "PostgreSQL cannot store");
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error_value().message, "cannot save the checkpoint of projection '" +
                                             name_with_nul +
                                             "': its name holds a NUL byte at offset 7, which "
                                             "PostgreSQL cannot store");
}

TEST(PostgresText, AStreamNameHoldingANulReadsAsAbsentNotAsTheNameBeforeIt) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = opened(open_postgres_store(url));
  ASSERT_TRUE(store->append(make_request("User-42", 0)).ok());
  ASSERT_TRUE(store->write_snapshot({"User-42", 1, 1, "{}", "2026-11-26T00:00:00.000Z"}).ok());

  auto events = store->read_stream(name_with_nul);
  auto version = store->stream_version(name_with_nul);
  auto taken = store->read_snapshot(name_with_nul);

  ASSERT_TRUE(events.ok()) << events.error_value();
  EXPECT_TRUE(events->empty()) << "read User-42's events";
  ASSERT_TRUE(version.ok()) << version.error_value();
  EXPECT_EQ(*version, 0u);
  ASSERT_TRUE(taken.ok()) << taken.error_value();
  EXPECT_FALSE(taken->has_value()) << "read User-42's snapshot";
}

TEST(PostgresText, AnUnstorableAppendIsRefusedAloneAndItsBatchCommits) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = opened(open_postgres_store(url));
  auto not_utf8 = make_request("User-7", 0);
  not_utf8.events[0].payload = "{\"name\":\"\xFF\"}";

  auto results = store->append_batch({make_request("User-1", 0), make_request(name_with_nul, 0),
                                      not_utf8, make_request("User-2", 0)});

  ASSERT_EQ(results.size(), 4u);
  ASSERT_TRUE(results[0].ok()) << results[0].error_value();
  EXPECT_EQ(results[0]->front().position, 1u);
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error_value().kind, error_kind::invalid_argument);
  EXPECT_NE(results[1].error_value().message.find("NUL byte"), std::string::npos)
      << results[1].error_value().message;
  ASSERT_FALSE(results[2].ok());
  EXPECT_EQ(results[2].error_value().kind, error_kind::invalid_argument);
  EXPECT_NE(results[2].error_value().message.find("payload is not UTF-8"), std::string::npos)
      << results[2].error_value().message;
  ASSERT_TRUE(results[3].ok()) << results[3].error_value();
  EXPECT_EQ(results[3]->front().position, 2u);
}

// `length` letters that do not compress (PostgreSQL compresses a long index entry first).
std::string incompressible_name(std::size_t length) {
  std::string name;
  std::uint32_t state = 12345;
  while (name.size() < length) {
    state = state * 1664525u + 1013904223u;
    name += static_cast<char>('a' + (state >> 24) % 26);
  }
  return name;
}

TEST(PostgresText, AStreamNameTooLongToIndexIsRefusedAloneAndItsBatchCommits) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = opened(open_postgres_store(url));
  const std::string longest = incompressible_name(longest_postgres_name);

  auto results =
      store->append_batch({make_request("User-1", 0), make_request(incompressible_name(3000), 0),
                           make_request(longest, 0)});

  ASSERT_EQ(results.size(), 3u);
  ASSERT_TRUE(results[0].ok()) << results[0].error_value();
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error_value().kind, error_kind::invalid_argument);
  EXPECT_NE(results[1].error_value().message.find("is 3000 bytes long (at most 2600)"),
            std::string::npos)
      << results[1].error_value().message.substr(0, 300);
  ASSERT_TRUE(results[2].ok()) << results[2].error_value().message.substr(0, 300);
  EXPECT_EQ(results[2]->front().position, 2u);
}

TEST(PostgresText, ACheckpointNamedWithANulIsRefusedAndLeavesTheNameBeforeItAlone) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = opened(open_postgres_store(url));
  ASSERT_TRUE(store->save_checkpoint("orders", 5).ok());

  auto saved = store->save_checkpoint(std::string("orders\0v2", 9), 9);
  auto read = store->read_checkpoint(std::string("orders\0v2", 9));

  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.error_value().kind, error_kind::invalid_argument);
  ASSERT_TRUE(read.ok()) << read.error_value();
  EXPECT_EQ(*read, 0u);
  EXPECT_EQ(*store->read_checkpoint("orders"), 5u);
}

TEST(PostgresText, ListingStreamsFromANameHoldingANulStartsAfterTheNameBeforeIt) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = opened(open_postgres_store(url));
  ASSERT_TRUE(store->append(make_request("a", 0)).ok());
  ASSERT_TRUE(store->append(make_request("b", 0)).ok());

  auto listed = store->list_streams(std::string("a\0z", 3), 10);

  ASSERT_TRUE(listed.ok()) << listed.error_value();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().stream, "b");
}

}  // namespace
}  // namespace esk
