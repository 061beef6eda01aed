// A lone append of one event (a quiet store's every append) goes through esk_append_one_event,
// scalar arguments instead of the array function's thirteen arrays, with the same outcome; every
// other batch still goes through esk_append_events_summarized. Each test that proves a path
// first makes the other function fail, so an append that took the wrong path fails.
#include <gtest/gtest.h>

#include <chrono>

#include "esk/store/postgres_commit_listener.hpp"
#include "esk/store/postgres_store.hpp"
#include "expect_same_event.hpp"
#include "postgres_connection.hpp"
#include "postgres_test_server.hpp"
#include "store_test_events.hpp"

namespace esk {
namespace {

using testing::make_request;
using testing::opened;

const char* const one_event_signature =
    "esk_append_one_event(text, bigint, text, text, text, text, text, text, text)";
const char* const summarized_signature =
    "esk_append_events_summarized(text[], bigint[], bigint[], integer[], bigint[], text[], text[],"
    " text[], text[], text[], text[], text[], text[])";

// Runs `sql` on a connection of its own to `url`; fails the test when it fails.
void run(const std::string& url, const std::string& sql) {
  auto connection = postgres_connection::connect(url, "test");
  ASSERT_TRUE(connection.ok()) << connection.error_value();
  auto done = (*connection)->run(sql);
  ASSERT_TRUE(done.ok()) << done.error_value();
}

// Makes the append function `signature` (returning `returns`) fail every call, saying which it is.
// Done after the store opened (a writable open would put this build's back).
void make_fail(const std::string& url, const std::string& signature, const std::string& returns) {
  run(url, "DROP FUNCTION " + signature + "; CREATE FUNCTION " + signature + " RETURNS " + returns +
               " LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '" + signature +
               " was called'; END $$");
}

// A store whose array append function fails: only a lone one-event append can succeed.
std::shared_ptr<event_store> store_appending_only_lone_events(const std::string& url) {
  auto store = opened(open_postgres_store(url));
  make_fail(url, summarized_signature,
            "TABLE (request integer, found_version bigint, head bigint, lock_wait_us bigint)");
  return store;
}

TEST(PostgresLoneAppend, AnEventToANewStreamTakesTheNextPositionAndVersionOne) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = store_appending_only_lone_events(url);
  const auto request = make_request("Account-1", 0);

  auto appended = store->append(request);

  ASSERT_TRUE(appended.ok()) << appended.error_value();
  ASSERT_EQ(appended->size(), 1u);
  const recorded_event expected{"Account-1",
                                1,
                                1,
                                request.events[0].type,
                                request.events[0].payload,
                                request.events[0].metadata};
  testing::expect_same_event(appended->front(), expected);
  auto stored = store->read_all(1, 10);
  ASSERT_TRUE(stored.ok()) << stored.error_value();
  ASSERT_EQ(stored->size(), 1u);
  testing::expect_same_event(stored->front(), expected);
  EXPECT_EQ(*store->stream_version("Account-1"), 1u);
  EXPECT_EQ(*store->last_position(), 1u);
  auto streams = store->list_streams("", 10);
  ASSERT_TRUE(streams.ok()) << streams.error_value();
  ASSERT_EQ(streams->size(), 1u);
  EXPECT_EQ(streams->front().last_position, 1u);
}

TEST(PostgresLoneAppend, AnEventToAnExistingStreamAtItsVersionFollowsTheLogsHead) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = store_appending_only_lone_events(url);
  ASSERT_TRUE(store->append(make_request("Account-1", 0)).ok());
  ASSERT_TRUE(store->append(make_request("Account-2", 0)).ok());

  auto appended = store->append(make_request("Account-1", 1));

  ASSERT_TRUE(appended.ok()) << appended.error_value();
  ASSERT_EQ(appended->size(), 1u);
  EXPECT_EQ(appended->front().version, 2u);
  EXPECT_EQ(appended->front().position, 3u);
  auto stream = store->read_stream("Account-1", 1, 10);
  ASSERT_TRUE(stream.ok()) << stream.error_value();
  ASSERT_EQ(stream->size(), 2u);
  EXPECT_EQ((*stream)[1].version, 2u);
  EXPECT_EQ((*stream)[1].position, 3u);
  EXPECT_EQ(*store->stream_version("Account-1"), 2u);
  EXPECT_EQ(*store->last_position(), 3u);
}

// A stale or a future expected version: a conflict carrying the version found; nothing is
// written and no position taken, so the next append takes the position after the last.
TEST(PostgresLoneAppend, AnEventAtAWrongVersionIsAConflictThatWritesNothing) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = store_appending_only_lone_events(url);
  ASSERT_TRUE(store->append(make_request("Account-1", 0)).ok());
  ASSERT_TRUE(store->append(make_request("Account-1", 1)).ok());

  auto stale = store->append(make_request("Account-1", 1));
  auto ahead = store->append(make_request("Account-1", 5));
  auto new_stream_said_old = store->append(make_request("Account-2", 3));

  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.kind(), error_kind::conflict);
  EXPECT_EQ(stale.error_value().stream_version, 2u);
  EXPECT_NE(stale.error_value().message.find("is at version 2, expected version 1"),
            std::string::npos)
      << stale.error_value();
  ASSERT_FALSE(ahead.ok());
  EXPECT_EQ(ahead.kind(), error_kind::conflict);
  EXPECT_EQ(ahead.error_value().stream_version, 2u);
  ASSERT_FALSE(new_stream_said_old.ok());
  EXPECT_EQ(new_stream_said_old.kind(), error_kind::conflict);
  EXPECT_EQ(new_stream_said_old.error_value().stream_version, 0u);
  EXPECT_EQ(*store->last_position(), 2u);
  EXPECT_EQ(*store->stream_version("Account-1"), 2u);
  EXPECT_EQ(*store->stream_version("Account-2"), 0u);
  EXPECT_EQ(store->read_all(1, 10)->size(), 2u);
  auto next = store->append(make_request("Account-2", 0));
  ASSERT_TRUE(next.ok()) << next.error_value();
  EXPECT_EQ(next->front().position, 3u);
}

// Another node's listener hears the lone append's position when it commits.
TEST(PostgresLoneAppend, AnEventIsAnnouncedToListenersWithItsPosition) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = store_appending_only_lone_events(url);
  ASSERT_TRUE(store->append(make_request("Account-1", 0)).ok());
  auto listener = listen_for_postgres_commits(url);
  ASSERT_TRUE(listener.ok()) << listener.error_value();

  ASSERT_TRUE(store->append(make_request("Account-2", 0)).ok());
  auto heard = (*listener)->wait_for_commits(std::chrono::seconds(10));

  ASSERT_TRUE(heard.ok()) << heard.error_value();
  ASSERT_TRUE(heard->has_value()) << "no notification within 10 s";
  EXPECT_EQ(**heard, 2u);
}

// append_batch_moving of a lone event moves its strings into the recorded event it returns.
TEST(PostgresLoneAppend, AMovedEventIsRecordedWithItsStrings) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = store_appending_only_lone_events(url);
  const auto request = make_request("Account-1", 0);
  std::vector<append_request> batch{request};

  auto results = store->append_batch_moving(std::move(batch));

  ASSERT_EQ(results.size(), 1u);
  ASSERT_TRUE(results[0].ok()) << results[0].error_value();
  ASSERT_EQ(results[0]->size(), 1u);
  testing::expect_same_event(results[0]->front(),
                             recorded_event{"Account-1", 1, 1, request.events[0].type,
                                            request.events[0].payload, request.events[0].metadata});
}

// Anything but one request of one event keeps the array function: here the one-event function
// fails every call, and a request of two events, and a batch of two one-event requests, append.
TEST(PostgresLoneAppend, ARequestOfTwoEventsAndABatchOfTwoRequestsKeepTheArrayFunction) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = opened(open_postgres_store(url));
  make_fail(url, one_event_signature,
            "TABLE (found_version bigint, head bigint, lock_wait_us bigint)");

  auto two_events = store->append(make_request("Account-1", 0, 2));
  auto two_requests =
      store->append_batch({make_request("Account-2", 0), make_request("Account-1", 1)});

  ASSERT_TRUE(two_events.ok()) << two_events.error_value();
  ASSERT_EQ(two_events->size(), 2u);
  EXPECT_EQ((*two_events)[1].version, 2u);
  EXPECT_EQ((*two_events)[1].position, 2u);
  ASSERT_EQ(two_requests.size(), 2u);
  ASSERT_TRUE(two_requests[0].ok()) << two_requests[0].error_value();
  EXPECT_EQ(two_requests[0]->front().position, 3u);
  ASSERT_FALSE(two_requests[1].ok());
  EXPECT_EQ(two_requests[1].error_value().stream_version, 2u);
  EXPECT_EQ(*store->last_position(), 3u);
  auto lone = store->append(make_request("Account-3", 0));
  ASSERT_FALSE(lone.ok()) << "a lone event went through the array function";
  EXPECT_NE(lone.error_value().message.find("esk_append_one_event"), std::string::npos)
      << lone.error_value();
  EXPECT_NE(lone.error_value().message.find("nothing was written"), std::string::npos)
      << lone.error_value();
}

// A store an earlier build created has no esk_append_one_event (and earlier builds never call
// it): this build's writable open creates it, and a lone append works.
TEST(PostgresLoneAppend, OpeningGivesAStoreWithoutTheFunctionIt) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  ASSERT_TRUE(open_postgres_store(url).ok());
  run(url, std::string("DROP FUNCTION ") + one_event_signature);

  auto store = store_appending_only_lone_events(url);
  auto appended = store->append(make_request("Account-1", 0));

  ASSERT_TRUE(appended.ok()) << appended.error_value();
  EXPECT_EQ(appended->front().position, 1u);
  EXPECT_EQ(*store->last_position(), 1u);
}

// One without this build's definition comment (a broken or an earlier one) is replaced; the
// replacement plans its statements once per connection, as the array functions do.
TEST(PostgresLoneAppend, OpeningReplacesAFunctionWithoutThisBuildsDefinition) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  ASSERT_TRUE(open_postgres_store(url).ok());
  make_fail(url, one_event_signature,
            "TABLE (found_version bigint, head bigint, lock_wait_us bigint)");

  auto store = store_appending_only_lone_events(url);
  auto appended = store->append(make_request("Account-1", 0));

  ASSERT_TRUE(appended.ok()) << appended.error_value();
  EXPECT_EQ(*store->stream_version("Account-1"), 1u);
  auto connection = postgres_connection::connect(url, "test");
  ASSERT_TRUE(connection.ok()) << connection.error_value();
  auto settings = (*connection)
                      ->run(std::string("SELECT array_to_string(proconfig, ',') FROM pg_proc"
                                        " WHERE oid = to_regprocedure('") +
                            one_event_signature + "')");
  ASSERT_TRUE(settings.ok()) << settings.error_value();
  ASSERT_EQ(settings->count(), 1);
  EXPECT_EQ(settings->text(0, 0), "plan_cache_mode=force_generic_plan");
}

// A running process holds both append calls prepared on its connections. Another process's
// writable open that replaces the functions (here a broken definition, as an earlier build's
// would be) leaves those calls working: PostgreSQL plans them again against the new functions.
TEST(PostgresLoneAppend, PreparedCallsKeepWorkingWhenAnotherOpenReplacesTheFunctions) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto running = opened(open_postgres_store(url));
  ASSERT_TRUE(running->append(make_request("Account-1", 0)).ok());
  auto first_batch =
      running->append_batch({make_request("Account-2", 0), make_request("Account-3", 0)});
  ASSERT_TRUE(first_batch[0].ok() && first_batch[1].ok());

  make_fail(url, one_event_signature,
            "TABLE (found_version bigint, head bigint, lock_wait_us bigint)");
  make_fail(url, summarized_signature,
            "TABLE (request integer, found_version bigint, head bigint, lock_wait_us bigint)");
  ASSERT_TRUE(open_postgres_store(url).ok());  // puts this build's definitions back
  auto lone = running->append(make_request("Account-1", 1));
  auto batch = running->append_batch({make_request("Account-2", 1), make_request("Account-4", 0)});

  ASSERT_TRUE(lone.ok()) << lone.error_value();
  EXPECT_EQ(lone->front().position, 4u);
  ASSERT_EQ(batch.size(), 2u);
  ASSERT_TRUE(batch[0].ok()) << batch[0].error_value();
  ASSERT_TRUE(batch[1].ok()) << batch[1].error_value();
  EXPECT_EQ(batch[0]->front().position, 5u);
  EXPECT_EQ(batch[1]->front().position, 6u);
  EXPECT_EQ(*running->last_position(), 6u);
}

}  // namespace
}  // namespace esk
