// Two runtimes on one SQLite file, as two processes would share it. When the other one moves a
// stream on, this runtime's next command on that aggregate is a conflict that records nothing;
// the aggregate then rehydrates, and the command after that succeeds.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "aggregates/user.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::contains;
using testing::failed_with;
using testing::recording_projection;
using testing::succeeded;

class TwoWriters : public ::testing::Test {
 protected:
  TwoWriters() {
    users::register_user(first);
    users::register_user(second);
  }

  // User 7 exists in `first` (its actor holds version 1); then `second` changes the email
  // behind its back (the stream is at version 2).
  void move_stream_behind_the_first_runtime() {
    ASSERT_TRUE(succeeded(first.execute(users::CreateUser{"7", "Grace", "grace@x.org"})));
    ASSERT_TRUE(succeeded(first.state<users::User>("7")));
    ASSERT_TRUE(succeeded(second.execute(users::ChangeEmail{"7", "hopper@x.org"})));
  }

  testing::sqlite_backend backend;
  runtime first{backend.open()};
  runtime second{backend.open()};
};

TEST_F(TwoWriters, CommandOnAStreamMovedByTheOtherWriterIsAConflict) {
  move_stream_behind_the_first_runtime();

  auto changed = first.execute(users::ChangeEmail{"7", "amazing.grace@x.org"});

  ASSERT_TRUE(failed_with(changed, error_kind::conflict));
  EXPECT_TRUE(contains(changed.error_value().message, "User 7"));
  EXPECT_TRUE(contains(changed.error_value().message, "ChangeEmail"));
}

TEST_F(TwoWriters, ConflictRecordsNothing) {
  move_stream_behind_the_first_runtime();

  auto changed = first.execute(users::ChangeEmail{"7", "amazing.grace@x.org"},
                               {"the-conflicting-command", "", ""});

  ASSERT_TRUE(failed_with(changed, error_kind::conflict));
  auto stream = first.store().read_stream("User-7");
  ASSERT_TRUE(succeeded(stream));
  ASSERT_EQ(stream->size(), 2u);
  for (const auto& event : *stream) EXPECT_NE(event.metadata.command_id, "the-conflicting-command");
}

TEST_F(TwoWriters, ConflictLeavesStateWithoutTheCommandsChange) {
  move_stream_behind_the_first_runtime();
  ASSERT_TRUE(failed_with(first.execute(users::ChangeEmail{"7", "amazing.grace@x.org"}),
                          error_kind::conflict));

  auto grace = first.state<users::User>("7");

  ASSERT_TRUE(succeeded(grace));
  EXPECT_EQ(grace->email, "hopper@x.org");  // the other writer's change, read from the store
  EXPECT_EQ(grace->email_changes, 1);
}

TEST_F(TwoWriters, CommandAfterAConflictSucceeds) {
  move_stream_behind_the_first_runtime();
  ASSERT_TRUE(failed_with(first.execute(users::ChangeEmail{"7", "amazing.grace@x.org"}),
                          error_kind::conflict));

  auto retried = first.execute(users::ChangeEmail{"7", "amazing.grace@x.org"});

  ASSERT_TRUE(succeeded(retried));
  ASSERT_EQ(retried->size(), 1u);
  EXPECT_EQ(retried->front().version, 3u);
  auto grace = first.state<users::User>("7");
  ASSERT_TRUE(succeeded(grace));
  EXPECT_EQ(grace->email, "amazing.grace@x.org");
  EXPECT_EQ(grace->email_changes, 2);
}

TEST_F(TwoWriters, RetryIsDecidedOnTheOtherWritersState) {
  move_stream_behind_the_first_runtime();
  ASSERT_TRUE(
      failed_with(first.execute(users::ChangeEmail{"7", "hopper@x.org"}), error_kind::conflict));

  // After rehydrating, the first runtime knows the email is already hopper@x.org.
  auto retried = first.execute(users::ChangeEmail{"7", "hopper@x.org"});

  ASSERT_TRUE(failed_with(retried, error_kind::rejected));
  EXPECT_TRUE(contains(retried.error_value().message, "unchanged"));
}

TEST_F(TwoWriters, ProjectionSeesBothWritersEventsOnceInPositionOrder) {
  auto recorder = std::make_shared<recording_projection>();
  first.add_projection(recorder);
  move_stream_behind_the_first_runtime();
  ASSERT_TRUE(succeeded(first.execute(users::CreateUser{"8", "Ada", "ada@x.org"})));

  ASSERT_TRUE(succeeded(first.sync_projections()));

  EXPECT_EQ(recorder->positions(), (std::vector<std::uint64_t>{1, 2, 3}));
}

}  // namespace
}  // namespace esk
