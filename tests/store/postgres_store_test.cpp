// What the PostgreSQL store promises beyond the contract: a reader following the log never sees
// a position before every earlier one is visible, however the writers' commits interleave.
#include "esk/store/postgres_store.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include "esk/store/postgres_commit_listener.hpp"
#include "postgres_connection.hpp"
#include "postgres_store_hooks.hpp"
#include "postgres_test_server.hpp"
#include "store_test_events.hpp"

namespace esk {
namespace {

using testing::make_request;
using testing::opened;

// A reader that follows the log as a projection does: read_all from the position after the last
// event it saw.
struct log_follower {
  event_store& store;
  std::uint64_t next = 1;
  std::vector<std::uint64_t> seen;

  void catch_up() {
    auto events = store.read_all(next, SIZE_MAX);
    ASSERT_TRUE(events.ok()) << events.error_value();
    for (const auto& event : *events) {
      seen.push_back(event.position);
      next = event.position + 1;
    }
  }
};

// True once the session named `application` waits for a lock, or once `done` is ready.
template <class Future>
bool blocked_or_done(postgres_connection& monitor, const std::string& application, Future& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready) return true;
    auto waiting = monitor.run(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1"
        " AND wait_event_type = 'Lock'",
        {application});
    if (waiting && waiting->text(0, 0) != "0") return true;
    // Polling the server's view of another session: no event tells us it started waiting.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

// Holds a writer's transaction open just before its commit until the test releases it. A test
// that fails before releasing it (a failed ASSERT returns early, and the writer's future then
// waits for the writer) is released after a minute, so it fails instead of hanging.
struct commit_gate {
  std::promise<void> held_promise;
  std::future<void> held = held_promise.get_future();
  std::promise<void> release_promise;
  std::shared_future<void> released = release_promise.get_future().share();

  // Hooks for open_postgres_store_with_hooks; the gate must outlive the store.
  postgres_store_hooks hooks() {
    postgres_store_hooks gated;
    gated.before_commit = [this] {
      held_promise.set_value();
      released.wait_for(std::chrono::minutes(1));
    };
    return gated;
  }
  // Whether the writer reached its commit within 30 s.
  bool wait_until_held() {
    return held.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  }
  void release() { release_promise.set_value(); }
};

TEST(PostgresStore, ReaderFollowingTheLogNeverSeesALaterPositionBeforeAnEarlierOneCommits) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  const std::string writer_b_name = "esk_writer_b_" + std::to_string(::getpid());
  commit_gate gate_a;
  auto writer_a = opened(open_postgres_store_with_hooks(url, {}, gate_a.hooks()));
  auto writer_b = opened(open_postgres_store(url + "&application_name=" + writer_b_name));
  auto reader = opened(open_postgres_store(url));
  auto monitor = postgres_connection::connect(url, "monitor");
  ASSERT_TRUE(monitor.ok()) << monitor.error_value();
  ASSERT_TRUE(writer_b->append(make_request("Account-0", 0)).ok());
  log_follower follower{*reader, 1, {}};
  follower.catch_up();

  // Writer A takes position 2 and holds its transaction open; writer B appends after it.
  auto a = std::async(std::launch::async, [&] { return writer_a->append(make_request("A-1", 0)); });
  ASSERT_TRUE(gate_a.wait_until_held()) << "writer A never reached its commit";
  auto b = std::async(std::launch::async, [&] { return writer_b->append(make_request("B-1", 0)); });
  ASSERT_TRUE(blocked_or_done(**monitor, writer_b_name, b));
  follower.catch_up();  // while A is open (and B committed, or waits for A)
  gate_a.release();
  auto appended_a = a.get();
  auto appended_b = b.get();
  follower.catch_up();

  ASSERT_TRUE(appended_a.ok()) << appended_a.error_value();
  ASSERT_TRUE(appended_b.ok()) << appended_b.error_value();
  EXPECT_EQ(appended_a->front().position, 2u);
  EXPECT_EQ(appended_b->front().position, 3u);
  EXPECT_EQ(follower.seen, (std::vector<std::uint64_t>{1, 2, 3}))
      << "the follower skipped a position that committed after a later one";
}

// The gap wait: an append that finds the append lock held by another writer's open transaction
// is counted, with the time it waited; one that finds it free is not.
TEST(PostgresStore, AnAppendWaitingForTheAppendLockIsCountedAsAGapWait) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  const std::string waiter_name = "esk_gap_waiter_" + std::to_string(::getpid());
  commit_gate holder_gate;
  auto holder = opened(open_postgres_store_with_hooks(url, {}, holder_gate.hooks()));
  auto waiter = opened(open_postgres_store(url + "&application_name=" + waiter_name));
  auto monitor = postgres_connection::connect(url, "monitor");
  ASSERT_TRUE(monitor.ok()) << monitor.error_value();
  ASSERT_TRUE(waiter->append(make_request("Account-0", 0)).ok());
  EXPECT_EQ(waiter->gap_waits().waits, 0u) << "the lock was free";

  auto held = std::async(std::launch::async, [&] { return holder->append(make_request("A", 0)); });
  ASSERT_TRUE(holder_gate.wait_until_held()) << "the holder never reached its commit";
  const auto waiting_since = std::chrono::steady_clock::now();
  auto waited =
      std::async(std::launch::async, [&] { return waiter->append(make_request("B", 0)); });
  ASSERT_TRUE(blocked_or_done(**monitor, waiter_name, waited));
  holder_gate.release();
  ASSERT_TRUE(held.get().ok());
  ASSERT_TRUE(waited.get().ok());

  const gap_wait_statistics stats = waiter->gap_waits();
  EXPECT_EQ(stats.waits, 1u);
  EXPECT_GT(stats.total.count(), 0);
  EXPECT_LE(stats.total, std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::steady_clock::now() - waiting_since));
  EXPECT_EQ(holder->gap_waits().waits, 0u);
}

// A store created by an earlier build has an append function without the lock_wait_us column;
// the next writable open replaces it, so earlier builds writing to the same store (they call
// esk_append_batch) append (and are timed) again.
TEST(PostgresStore, OpeningReplacesTheAppendFunctionOfAnEarlierBuild) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  ASSERT_TRUE(open_postgres_store(url).ok());
  auto connection = postgres_connection::connect(url, "test");
  ASSERT_TRUE(connection.ok()) << connection.error_value();
  ASSERT_TRUE((*connection)->run("DROP FUNCTION esk_append_batch(jsonb)").ok());
  ASSERT_TRUE((*connection)
                  ->run("CREATE FUNCTION esk_append_batch(requests jsonb) RETURNS TABLE"
                        " (outcome text, stream_version bigint, first_position bigint)"
                        " LANGUAGE sql AS $$ SELECT 'ok'::text, 1::bigint, 1::bigint $$")
                  .ok());

  auto store = opened(open_postgres_store(url));
  auto earlier_build_append =
      (*connection)
          ->run(
              "SELECT outcome, stream_version, first_position, lock_wait_us FROM "
              "esk_append_batch($1)",
              {R"([{"stream":"Account-1","expected":0,"events":[{"type":"Opened","payload":"{}",)"
               R"("event_id":"e1","command_id":"c1","correlation_id":"c1","causation_id":"c1",)"
               R"("recorded_at":"2026-01-01T00:00:00Z"}]}])"});

  ASSERT_TRUE(earlier_build_append.ok()) << earlier_build_append.error_value();
  EXPECT_EQ(earlier_build_append->text(0, 0), "ok");
  EXPECT_EQ(*store->stream_version("Account-1"), 1u);
  EXPECT_TRUE(store->append(make_request("Account-1", 1)).ok());
}

// The arguments of both array append functions (thirteen arrays).
const char* const array_append_arguments =
    "text[], bigint[], bigint[], integer[], bigint[], text[], text[], text[], text[], text[],"
    " text[], text[], text[]";

// Replaces the array append function `name` with one that writes nothing and answers `answer`
// (a SELECT of its result row), without the definition comment of this build: a broken or an
// earlier build's function, as a store shared with other builds may hold.
void replace_with_function_writing_nothing(const std::string& url, const std::string& name,
                                           const std::string& returns, const std::string& answer) {
  auto connection = postgres_connection::connect(url, "test");
  ASSERT_TRUE(connection.ok()) << connection.error_value();
  const std::string signature = name + "(" + array_append_arguments + ")";
  auto replaced =
      (*connection)
          ->run("DROP FUNCTION " + signature + "; CREATE FUNCTION " + signature +
                " RETURNS TABLE (" + returns + ") LANGUAGE sql AS $$ " + answer + " $$");
  ASSERT_TRUE(replaced.ok()) << replaced.error_value();
}

// A store whose esk_append_events lacks this build's definition (an earlier or a broken one)
// gets this build's when it opens for writing, so the previous build, calling it, appends.
TEST(PostgresStore, OpeningReplacesAnAppendEventsFunctionWithoutThisBuildsDefinition) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  ASSERT_TRUE(open_postgres_store(url).ok());
  replace_with_function_writing_nothing(
      url, "esk_append_events",
      "outcome text, stream_version bigint, first_position bigint, lock_wait_us bigint",
      "SELECT 'ok'::text, 1::bigint, 1::bigint, NULL::bigint");

  auto store = opened(open_postgres_store(url));
  auto connection = postgres_connection::connect(url, "test");
  ASSERT_TRUE(connection.ok()) << connection.error_value();
  auto earlier_build_append =
      (*connection)
          ->run(
              "SELECT outcome FROM esk_append_events('{Account-1}', '{0}', '{1}', '{1}', '{1}',"
              " '{Account-1}', '{Opened}', '{\"{}\"}', '{e1}', '{c1}', '{c1}', '{c1}',"
              " '{2026-01-01T00:00:00Z}')");

  ASSERT_TRUE(earlier_build_append.ok()) << earlier_build_append.error_value();
  EXPECT_EQ(earlier_build_append->text(0, 0), "ok");
  EXPECT_EQ(*store->stream_version("Account-1"), 1u);
  EXPECT_EQ(*store->last_position(), 1u);
}

// This build appends through esk_append_events_summarized; a store it opens keeps the previous
// build's esk_append_events, which answers one row per request in request order, placing each
// accepted request after the accepted ones before it (a conflict between them takes no position),
// and the two builds' positions follow one another.
TEST(PostgresStore, TheEarlierBuildsAppendEventsStillAppendsBesideThisBuilds) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = opened(open_postgres_store(url));
  ASSERT_TRUE(store->append(make_request("Account-1", 0)).ok());
  auto connection = postgres_connection::connect(url, "test");
  ASSERT_TRUE(connection.ok()) << connection.error_value();

  // Account-2 takes two events, Account-1 conflicts (it is at version 1), Account-3 takes one.
  auto answer = (*connection)
                    ->run(
                        "SELECT outcome, stream_version, first_position FROM esk_append_events("
                        "'{Account-2,Account-1,Account-3}', '{0,0,0}', '{2,1,1}', '{1,1,2,3}',"
                        " '{1,2,1,1}', '{Account-2,Account-2,Account-1,Account-3}',"
                        " '{Opened,Deposited,Opened,Opened}', '{\"{}\",\"{}\",\"{}\",\"{}\"}',"
                        " '{e1,e2,e3,e4}', '{c1,c1,c2,c3}', '{c1,c1,c2,c3}', '{c1,c1,c2,c3}',"
                        " '{2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,2026-01-01T00:00:00Z,"
                        "2026-01-01T00:00:00Z}')");

  ASSERT_TRUE(answer.ok()) << answer.error_value();
  ASSERT_EQ(answer->count(), 3);
  EXPECT_EQ(answer->text(0, 0), "ok");
  EXPECT_EQ(answer->text(0, 1), "2");
  EXPECT_EQ(answer->text(0, 2), "2");
  EXPECT_EQ(answer->text(1, 0), "conflict");
  EXPECT_EQ(answer->text(1, 1), "1");
  EXPECT_EQ(answer->text(1, 2), "0");
  EXPECT_EQ(answer->text(2, 0), "ok");
  EXPECT_EQ(answer->text(2, 1), "1");
  EXPECT_EQ(answer->text(2, 2), "4");
  EXPECT_EQ(*store->last_position(), 4u);
  EXPECT_EQ(*store->stream_version("Account-2"), 2u);
  EXPECT_EQ(*store->stream_version("Account-3"), 1u);
  auto next = store->append(make_request("Account-1", 1));
  ASSERT_TRUE(next.ok()) << next.error_value();
  EXPECT_EQ(next->front().position, 5u);
}

// A store whose esk_append_events_summarized lacks this build's definition (a broken or an
// earlier one) gets this build's when it opens for writing.
TEST(PostgresStore, OpeningReplacesASummarizedAppendFunctionWithoutThisBuildsDefinition) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  ASSERT_TRUE(open_postgres_store(url).ok());
  replace_with_function_writing_nothing(
      url, "esk_append_events_summarized",
      "request integer, found_version bigint, head bigint, lock_wait_us bigint",
      "SELECT 0, NULL::bigint, 0::bigint, NULL::bigint");

  auto store = opened(open_postgres_store(url));
  auto appended = store->append(make_request("Account-1", 0));

  ASSERT_TRUE(appended.ok()) << appended.error_value();
  EXPECT_EQ(*store->stream_version("Account-1"), 1u);
  EXPECT_EQ(*store->last_position(), 1u);
}

// A new store fills esk_streams' pages only half, so that each append's update of its stream's
// version can stay on the row's page (heap-only, no new entry in the stream index).
TEST(PostgresStore, ANewStoreLeavesRoomOnEachStreamsPageForVersionUpdates) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  ASSERT_TRUE(open_postgres_store(url).ok());
  auto connection = postgres_connection::connect(url, "test");
  ASSERT_TRUE(connection.ok()) << connection.error_value();

  auto options = (*connection)
                     ->run(
                         "SELECT array_to_string(reloptions, ',') FROM pg_class"
                         " WHERE oid = 'esk_streams'::regclass");

  ASSERT_TRUE(options.ok()) << options.error_value();
  ASSERT_EQ(options->count(), 1);
  EXPECT_EQ(options->text(0, 0), "fillfactor=50");
}

// A store an earlier build created with full esk_streams pages gets the half-full setting when
// this build opens it for writing (its later pages then take version updates on the page).
TEST(PostgresStore, OpeningLeavesRoomOnStreamsPagesOfAStoreCreatedWithFullPages) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  ASSERT_TRUE(open_postgres_store(url).ok());
  auto connection = postgres_connection::connect(url, "test");
  ASSERT_TRUE(connection.ok()) << connection.error_value();
  ASSERT_TRUE((*connection)->run("ALTER TABLE esk_streams RESET (fillfactor)").ok());

  ASSERT_TRUE(open_postgres_store(url).ok());
  auto options = (*connection)
                     ->run(
                         "SELECT coalesce(array_to_string(reloptions, ','), '') FROM pg_class"
                         " WHERE oid = 'esk_streams'::regclass");

  ASSERT_TRUE(options.ok()) << options.error_value();
  ASSERT_EQ(options->count(), 1);
  EXPECT_EQ(options->text(0, 0), "fillfactor=50");
}

// The append function's statements run on generic plans, planned once per connection rather
// than on most calls (docs/ARCHITECTURE.md, PostgreSQL: a lone append's largest server cost).
TEST(PostgresStore, TheAppendFunctionPlansItsStatementsOncePerConnection) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  ASSERT_TRUE(open_postgres_store(url).ok());
  auto connection = postgres_connection::connect(url, "test");
  ASSERT_TRUE(connection.ok()) << connection.error_value();

  auto settings =
      (*connection)
          ->run(std::string("SELECT array_to_string(proconfig, ',') FROM pg_proc"
                            " WHERE oid = to_regprocedure('esk_append_events_summarized(") +
                array_append_arguments + ")')");

  ASSERT_TRUE(settings.ok()) << settings.error_value();
  ASSERT_EQ(settings->count(), 1);
  EXPECT_EQ(settings->text(0, 0), "plan_cache_mode=force_generic_plan");
}

// Group commit: the batch is one transaction, so a failure of the transaction itself (here an
// event PostgreSQL cannot store: text holds no NUL character) writes none of the batch.
TEST(PostgresStore, BatchIsOneTransactionSoAFailedCommitWritesNoneOfIt) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto store = opened(open_postgres_store(url));
  // The server refuses the second request's row (a NUL byte, which it also cannot store, is
  // refused before the call, alone: PostgresText).
  auto admin = postgres_connection::connect(url, "");
  ASSERT_TRUE(admin.ok()) << admin.error_value();
  ASSERT_TRUE((*admin)
                  ->run("ALTER TABLE esk_events ADD CONSTRAINT refused_note"
                        " CHECK (payload <> '{\"note\":\"refused\"}')")
                  .ok());
  auto refused = make_request("Account-2", 0);
  refused.events[0].payload = "{\"note\":\"refused\"}";

  auto results = store->append_batch({make_request("Account-1", 0), refused});

  ASSERT_EQ(results.size(), 2u);
  for (const auto& outcome : results) {
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.kind(), error_kind::store_unavailable);
    EXPECT_NE(outcome.error_value().message.find("nothing was written"), std::string::npos)
        << outcome.error_value();
  }
  EXPECT_EQ(*store->last_position(), 0u);
  EXPECT_EQ(*store->stream_version("Account-1"), 0u);
  EXPECT_TRUE(store->append(make_request("Account-1", 0)).ok()) << "the store works on";
}

// Live delivery across nodes: a listener learns of another process's commit when it commits,
// without polling the store.
TEST(PostgresStore, CommitListenerHearsOfAnotherConnectionsCommitWithItsLastPosition) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  auto other_node = opened(open_postgres_store(url));
  auto listener = listen_for_postgres_commits(url);
  ASSERT_TRUE(listener.ok()) << listener.error_value();
  auto before = (*listener)->wait_for_commits(std::chrono::milliseconds(0));
  ASSERT_TRUE(before.ok()) << before.error_value();
  EXPECT_FALSE(before->has_value()) << "nothing was committed yet";

  ASSERT_TRUE(other_node->append(make_request("Account-1", 0, 2)).ok());
  auto heard = (*listener)->wait_for_commits(std::chrono::seconds(10));

  ASSERT_TRUE(heard.ok()) << heard.error_value();
  ASSERT_TRUE(heard->has_value()) << "no notification within 10 s";
  EXPECT_EQ(**heard, 2u);
}

}  // namespace
}  // namespace esk
