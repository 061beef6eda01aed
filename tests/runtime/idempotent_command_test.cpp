// A command sent again with the same command ID (a client retrying after a timeout) is applied
// once: the repeat is answered with the events the first run recorded. Across a restart, from
// a second process on the same store, and inside one batch.
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <string>
#include <vector>

#include "aggregates/user.hpp"
#include "held_appends_store.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::failed_with;
using testing::held_appends_store;
using testing::sqlite_backend;
using testing::succeeded;

command_options with_id(const std::string& command_id) {
  command_options options;
  options.command_id = command_id;
  return options;
}

std::size_t stream_length(event_store& store, const std::string& stream) {
  auto events = store.read_stream(stream);
  return events ? events->size() : 0;
}

// The repeat's answer is the first run's events: same versions, positions and event IDs.
void expect_same_recording(const command_result& first, const command_result& repeat) {
  ASSERT_TRUE(succeeded(first));
  ASSERT_TRUE(succeeded(repeat));
  ASSERT_EQ(first->size(), repeat->size());
  for (std::size_t index = 0; index < first->size(); ++index) {
    EXPECT_EQ((*first)[index].version, (*repeat)[index].version);
    EXPECT_EQ((*first)[index].position, (*repeat)[index].position);
    EXPECT_EQ((*first)[index].metadata.event_id, (*repeat)[index].metadata.event_id);
  }
}

TEST(IdempotentCommands, ACommandSentTwiceIsAppliedOnceAndAnsweredWithItsFirstEvents) {
  auto store = make_memory_store();
  runtime rt{store};
  users::register_user(rt);
  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"7", "Grace", "grace@x.org"})));

  auto first = rt.execute(users::ChangeEmail{"7", "a@x.org"}, with_id("change-1"));
  auto repeat = rt.execute(users::ChangeEmail{"7", "a@x.org"}, with_id("change-1"));

  expect_same_recording(first, repeat);  // not rejected as "unchanged", not applied again
  EXPECT_EQ(stream_length(*store, "User-7"), 2u);
  auto grace = rt.state<users::User>("7");
  ASSERT_TRUE(succeeded(grace));
  EXPECT_EQ(grace->email_changes, 1);
}

TEST(IdempotentCommands, AnotherIdIsAnotherCommand) {
  runtime rt{make_memory_store()};
  users::register_user(rt);
  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"7", "Grace", "grace@x.org"})));
  ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"7", "a@x.org"}, with_id("change-1"))));

  auto other = rt.execute(users::ChangeEmail{"7", "a@x.org"}, with_id("change-2"));

  EXPECT_TRUE(failed_with(other, error_kind::rejected));  // decided: the email is unchanged
}

TEST(IdempotentCommands, ARepeatAfterARestartIsAnsweredFromTheStream) {
  sqlite_backend backend;
  command_result first = std::vector<recorded_event>{};
  {
    runtime rt{backend.open()};
    users::register_user(rt);
    first = rt.execute(users::CreateUser{"7", "Grace", "grace@x.org"}, with_id("create-7"));
  }
  runtime restarted{backend.open()};
  users::register_user(restarted);

  auto repeat =
      restarted.execute(users::CreateUser{"7", "Grace", "grace@x.org"}, with_id("create-7"));

  expect_same_recording(first, repeat);  // not "already exists"
  EXPECT_EQ(stream_length(restarted.store(), "User-7"), 1u);
}

TEST(IdempotentCommands, ARepeatSentToASecondProcessIsAppliedOnce) {
  sqlite_backend backend;
  runtime first_node{backend.open()};
  runtime second_node{backend.open()};
  users::register_user(first_node);
  users::register_user(second_node);
  ASSERT_TRUE(succeeded(first_node.execute(users::CreateUser{"7", "Grace", "grace@x.org"})));
  ASSERT_TRUE(succeeded(second_node.state<users::User>("7")));  // its actor holds version 1

  auto first = first_node.execute(users::ChangeEmail{"7", "a@x.org"}, with_id("change-1"));
  auto repeat = second_node.execute(users::ChangeEmail{"7", "a@x.org"}, with_id("change-1"));

  expect_same_recording(first, repeat);  // the second node met a conflict and found the ID
  EXPECT_EQ(stream_length(first_node.store(), "User-7"), 2u);
}

TEST(IdempotentCommands, WithRememberingOffASecondProcessAnswersTheConflict) {
  sqlite_backend backend;
  runtime_options forgetful;
  forgetful.remembered_commands = 0;
  runtime first_node{backend.open()};
  runtime second_node{backend.open(), forgetful};
  users::register_user(first_node);
  users::register_user(second_node);
  ASSERT_TRUE(succeeded(first_node.execute(users::CreateUser{"7", "Grace", "grace@x.org"})));
  ASSERT_TRUE(succeeded(second_node.state<users::User>("7")));  // its actor holds version 1
  ASSERT_TRUE(succeeded(first_node.execute(users::ChangeEmail{"7", "a@x.org"}, with_id("c-1"))));

  auto repeat = second_node.execute(users::ChangeEmail{"7", "a@x.org"}, with_id("c-1"));

  EXPECT_TRUE(failed_with(repeat, error_kind::conflict));  // nothing to look the ID up in
  EXPECT_EQ(stream_length(first_node.store(), "User-7"), 2u);
}

TEST(IdempotentCommands, ARepeatQueuedInTheSameBatchIsAppliedOnce) {
  auto store = std::make_shared<held_appends_store>(make_memory_store());
  runtime rt{store};
  users::register_user(rt);
  store->allow(1);
  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"7", "Grace", "grace@x.org"})));
  auto moved = rt.submit(users::ChangeEmail{"7", "x@x.org"});  // held
  auto first = rt.submit(users::ChangeEmail{"7", "a@x.org"}, with_id("change-1"));
  auto repeat = rt.submit(users::ChangeEmail{"7", "a@x.org"}, with_id("change-1"));
  ASSERT_TRUE(succeeded(rt.state<users::User>("nobody")));  // the router passed all of them on

  store->release();

  ASSERT_TRUE(succeeded(moved.get()));
  expect_same_recording(first.get(), repeat.get());
  EXPECT_EQ(stream_length(*store, "User-7"), 3u);
}

TEST(IdempotentCommands, OnlyTheLastRememberedCommandsAreKnown) {
  runtime_options options;
  options.remembered_commands = 2;
  runtime rt{make_memory_store(), options};
  users::register_user(rt);
  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"7", "Grace", "grace@x.org"})));
  ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"7", "a@x.org"}, with_id("change-1"))));
  ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"7", "b@x.org"})));
  ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"7", "c@x.org"})));

  auto forgotten = rt.execute(users::ChangeEmail{"7", "a@x.org"}, with_id("change-1"));

  ASSERT_TRUE(succeeded(forgotten));  // decided again: three commands later it is forgotten
  EXPECT_EQ(forgotten->front().version, 5u);
}

}  // namespace
}  // namespace esk
