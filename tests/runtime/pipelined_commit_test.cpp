// The store actor's pipelined path: batches committed on the detached writer while the next
// batch gathers. Benchmarks pick it only when commits are slow, so these tests force it
// (group_commit_settings with no inline batches) and check its answers, its order and its
// failure handling.
#include <gtest/gtest.h>

#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "aggregates/user.hpp"
#include "flaky_store.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::contains;
using testing::failed_with;
using testing::flaky_store;
using testing::sqlite_backend;
using testing::succeeded;

runtime_options always_pipelined() {
  runtime_options options;
  options.worker_threads = 2;
  options.group_commit.inline_max_batch = 0;
  options.group_commit.pipeline_above = std::chrono::microseconds{0};
  options.group_commit.max_batch = 8;  // several batches in flight one after another
  return options;
}

TEST(PipelinedCommit, EveryCommandIsAnsweredAndStoredGapFreeInArrivalOrder) {
  sqlite_backend backend;
  std::vector<std::future<command_result>> outcomes;
  {
    runtime rt{backend.open(), always_pipelined()};
    users::register_user(rt);
    for (int user = 0; user < 10; ++user)
      outcomes.push_back(rt.submit(users::CreateUser{std::to_string(user), "U", "u@x.org"}));
    for (int change = 0; change < 20; ++change)
      for (int user = 0; user < 10; ++user)
        outcomes.push_back(rt.submit(
            users::ChangeEmail{std::to_string(user), "u" + std::to_string(change) + "@x.org"}));
    for (auto& outcome : outcomes) ASSERT_TRUE(succeeded(outcome.get()));
  }

  auto reopened = backend.open();
  for (int user = 0; user < 10; ++user) {
    auto stream = reopened->read_stream("User-" + std::to_string(user));
    ASSERT_TRUE(succeeded(stream));
    ASSERT_EQ(stream->size(), 21u);
    for (std::size_t index = 0; index < stream->size(); ++index)
      EXPECT_EQ((*stream)[index].version, index + 1);
    EXPECT_EQ(stream->back().payload.find("u19@x.org") != std::string::npos, true);
  }
  auto last = reopened->last_position();
  ASSERT_TRUE(succeeded(last));
  EXPECT_EQ(*last, 210u);
}

TEST(PipelinedCommit, AFailedBatchFailsItsCommandsAndTheNextOnesCommitOnceTheStoreRecovers) {
  auto store = std::make_shared<flaky_store>(make_memory_store());
  runtime rt{store, always_pipelined()};
  users::register_user(rt);
  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"1", "Ada", "ada@x.org"})));

  store->fail_appends = true;
  auto failed = rt.execute(users::ChangeEmail{"1", "lost@x.org"});
  store->fail_appends = false;

  ASSERT_TRUE(failed_with(failed, error_kind::store_unavailable));
  EXPECT_TRUE(contains(failed.error_value().message, "User 1: ChangeEmail"));
  ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"1", "kept@x.org"})));
  auto user = rt.versioned_state<users::User>("1");
  ASSERT_TRUE(succeeded(user));
  EXPECT_EQ(user->version, 2u);
  EXPECT_EQ(user->state.email, "kept@x.org");
}

TEST(PipelinedCommit, AStoreThatThrowsFailsTheBatchNotTheWriter) {
  auto store = std::make_shared<flaky_store>(make_memory_store());
  runtime rt{store, always_pipelined()};
  users::register_user(rt);

  store->throw_on_append = true;
  auto failed = rt.execute(users::CreateUser{"1", "Ada", "ada@x.org"});
  store->throw_on_append = false;

  ASSERT_TRUE(failed_with(failed, error_kind::store_unavailable));
  EXPECT_TRUE(contains(failed.error_value().message, "the disk caught fire"));
  EXPECT_TRUE(succeeded(rt.execute(users::CreateUser{"1", "Ada", "ada@x.org"})));
}

}  // namespace
}  // namespace esk
