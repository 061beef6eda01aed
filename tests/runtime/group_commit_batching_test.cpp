// The store actor's group commit: appends that arrive while a commit is in progress wait in its
// mailbox and are committed together, in one call of the store (one transaction, one fsync), at
// most group_commit_settings::max_batch at a time; each caller still gets its own answer, and a
// conflict in one stream of a batch fails that append only. An append that finds nothing else
// waiting is committed alone and at once.
//
// These tests play the aggregate actors themselves: each append comes from a sender of its own,
// sent from the test thread, so the test knows exactly which appends wait in the store actor's
// mailbox when it lets the held commit finish (the runtime shows no sign of an append reaching
// the store actor, and waiting for one without it would be a guess).
#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "esk/store/memory_store.hpp"
#include "held_appends_store.hpp"
#include "messages.hpp"
#include "store_actor.hpp"

namespace esk {
namespace {

using actors::append_message;
using actors::append_reply;
using testing::held_appends_store;

// Generous: the tests also run under ASan and TSan. Only a broken store actor waits this long.
constexpr std::chrono::seconds patience{30};

caf::actor_system_config& two_threads(caf::actor_system_config& config) {
  config.set("scheduler.max-threads", 2);
  return config;
}

append_message one_event_for(const std::string& stream, std::uint64_t expected_version) {
  auto append = std::make_shared<actors::append_exchange>();
  append->request = {stream,
                     expected_version,
                     {{"Happened", "{}", {"event-" + stream, "command-" + stream, "", "", ""}}}};
  return append;
}

// One aggregate's append in flight: its own sender, so its answer waits for it alone.
class sent_append {
 public:
  sent_append(caf::actor_system& system, const caf::actor& store_actor, append_message append)
      : sender_(std::make_unique<caf::scoped_actor>(system)),
        reply_((*sender_)->request(store_actor, patience, std::move(append))) {}

  // Blocks until the store actor answers (or `patience` passes: a request_timeout error).
  command_result answer() {
    std::optional<command_result> outcome;
    reply_.receive([&](append_reply& reply) { outcome = std::move(reply->outcome); },
                   [&](caf::error& failure) {
                     outcome = command_result{error{error_kind::timeout, to_string(failure)}};
                   });
    return std::move(*outcome);
  }

 private:
  std::unique_ptr<caf::scoped_actor> sender_;
  decltype(std::declval<caf::scoped_actor&>()->request(std::declval<const caf::actor&>(), patience,
                                                       std::declval<append_message>())) reply_;
};

// A store actor in front of a memory store whose appends are held until the test lets them
// through.
class GroupCommit : public ::testing::Test {
 protected:
  ~GroupCommit() override {
    store->release();  // a failed assertion must not leave the actor blocked in a commit
    if (store_actor) caf::anon_send_exit(store_actor, caf::exit_reason::user_shutdown);
  }

  void start(group_commit_settings settings = {}) {
    store_actor = system.spawn(actors::store_actor, store, settings,
                               std::make_shared<actors::group_commit_counters>());
  }

  std::unique_ptr<sent_append> send(const std::string& stream, std::uint64_t expected_version = 0) {
    return std::make_unique<sent_append>(system, store_actor,
                                         one_event_for(stream, expected_version));
  }

  // Sends the append of `stream` and returns once the store actor is committing it, held: every
  // append sent after this waits in its mailbox until the test lets the commit through.
  std::unique_ptr<sent_append> send_and_hold_its_commit(const std::string& stream) {
    auto first = send(stream);
    EXPECT_TRUE(store->wait_for_calls(1, patience)) << "the store actor never committed";
    return first;
  }

  // Holds the commit of a first append, sends sixteen appends to sixteen streams meanwhile, then
  // lets it through: the sixteen are committed as one store call after it, in the order sent.
  void expect_appends_arriving_during_a_held_commit_committed_as_one_batch();

  std::shared_ptr<event_store> memory = make_memory_store();
  std::shared_ptr<held_appends_store> store = std::make_shared<held_appends_store>(memory);
  caf::actor_system_config config;
  caf::actor_system system{two_threads(config)};
  caf::actor store_actor;
};

std::vector<std::string> streams_named(const std::string& prefix, std::size_t count) {
  std::vector<std::string> streams;
  for (std::size_t index = 0; index < count; ++index)
    streams.push_back(prefix + "-" + std::to_string(index));
  return streams;
}

// Every append answered with its own event: version 1 of its stream, and positions following
// on from `first_position` in the order they were sent.
void expect_each_committed_in_order(std::vector<std::unique_ptr<sent_append>>& appends,
                                    const std::vector<std::string>& streams,
                                    std::uint64_t first_position) {
  for (std::size_t index = 0; index < appends.size(); ++index) {
    auto outcome = appends[index]->answer();
    ASSERT_TRUE(outcome.ok()) << streams[index] << ": " << outcome.error_value();
    ASSERT_EQ(outcome->size(), 1u);
    EXPECT_EQ(outcome->front().stream, streams[index]);
    EXPECT_EQ(outcome->front().version, 1u);
    EXPECT_EQ(outcome->front().position, first_position + index);
  }
}

void GroupCommit::expect_appends_arriving_during_a_held_commit_committed_as_one_batch() {
  auto first = send_and_hold_its_commit("Account-first");
  const auto streams = streams_named("Account", 16);
  std::vector<std::unique_ptr<sent_append>> waiting;
  for (const auto& stream : streams) waiting.push_back(send(stream));

  store->release();

  ASSERT_TRUE(first->answer().ok());
  expect_each_committed_in_order(waiting, streams, 2);
  EXPECT_EQ(store->calls(), (std::vector<std::vector<std::string>>{{"Account-first"}, streams}));
}

TEST_F(GroupCommit, AppendsOfManyAggregatesArrivingDuringACommitAreCommittedAsOneBatch) {
  start();
  expect_appends_arriving_during_a_held_commit_committed_as_one_batch();
}

TEST_F(GroupCommit, ABatchCarriesAtMostMaxBatchAppendsAndTheRestFollowInOrder) {
  group_commit_settings settings;
  settings.max_batch = 4;
  start(settings);
  auto first = send_and_hold_its_commit("Account-first");
  const auto streams = streams_named("Account", 10);
  std::vector<std::unique_ptr<sent_append>> waiting;
  for (const auto& stream : streams) waiting.push_back(send(stream));

  store->release();

  ASSERT_TRUE(first->answer().ok());
  expect_each_committed_in_order(waiting, streams, 2);
  EXPECT_EQ(store->calls(),
            (std::vector<std::vector<std::string>>{{"Account-first"},
                                                   {streams.begin(), streams.begin() + 4},
                                                   {streams.begin() + 4, streams.begin() + 8},
                                                   {streams.begin() + 8, streams.end()}}));
}

TEST_F(GroupCommit, OnTheDetachedWriterAppendsArrivingDuringACommitAreCommittedAsOneBatch) {
  group_commit_settings always_pipelined;
  always_pipelined.inline_max_batch = 0;
  always_pipelined.pipeline_above = std::chrono::microseconds{0};
  start(always_pipelined);
  expect_appends_arriving_during_a_held_commit_committed_as_one_batch();
}

TEST_F(GroupCommit, AConflictInOneStreamOfABatchFailsThatAppendOnly) {
  ASSERT_TRUE(memory->append(one_event_for("Account-taken", 0)->request).ok());  // position 1
  start();
  auto first = send_and_hold_its_commit("Account-first");  // position 2
  auto before = send("Account-before");
  auto stale = send("Account-taken", 0);  // the stream is at version 1: a conflict
  auto after = send("Account-after");

  store->release();

  ASSERT_TRUE(first->answer().ok());
  auto before_outcome = before->answer();
  ASSERT_TRUE(before_outcome.ok()) << before_outcome.error_value();
  EXPECT_EQ(before_outcome->front().stream, "Account-before");
  EXPECT_EQ(before_outcome->front().position, 3u);
  auto stale_outcome = stale->answer();
  ASSERT_FALSE(stale_outcome.ok());
  EXPECT_EQ(stale_outcome.kind(), error_kind::conflict) << stale_outcome.error_value();
  auto after_outcome = after->answer();
  ASSERT_TRUE(after_outcome.ok()) << after_outcome.error_value();
  EXPECT_EQ(after_outcome->front().stream, "Account-after");
  EXPECT_EQ(after_outcome->front().position, 4u) << "the conflicting append used no position";
  EXPECT_EQ(store->calls(),
            (std::vector<std::vector<std::string>>{
                {"Account-first"}, {"Account-before", "Account-taken", "Account-after"}}));
  EXPECT_EQ(*memory->stream_version("Account-taken"), 1u);
}

TEST_F(GroupCommit, ALoneAppendIsCommittedAtOnceAndAlone) {
  start();
  store->release();

  auto lone = send("Account-lone")->answer();
  auto next = send("Account-next")->answer();

  ASSERT_TRUE(lone.ok()) << lone.error_value();
  EXPECT_EQ(lone->front().position, 1u);
  ASSERT_TRUE(next.ok()) << next.error_value();
  EXPECT_EQ(next->front().position, 2u);
  EXPECT_EQ(store->calls(),
            (std::vector<std::vector<std::string>>{{"Account-lone"}, {"Account-next"}}));
}

}  // namespace
}  // namespace esk
