// A hot aggregate: commands queued behind an append in flight are decided in order on the
// state the earlier ones leave and go to the store as one append. Every command's answer is the
// one serial execution gives; a batch that fails is decided again on the stored state, and no
// command is answered on a state that was never recorded.
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

// Returns once the router has passed on every command sent before the call: it answers this
// read of another aggregate only after forwarding them, so they are in the aggregate's mailbox
// ahead of any store answer that comes later.
void wait_until_forwarded(runtime& rt) { ASSERT_TRUE(succeeded(rt.state<users::User>("nobody"))); }

std::string email_of(const recorded_event& event) {
  return decode_payload_text<users::UserEmailChanged>(event.payload, "UserEmailChanged",
                                                      unknown_fields::reject)
      ->email;
}

// Grace (user 7) exists and her actor is live; the store holds appends from now on.
class HotAggregate : public ::testing::Test {
 protected:
  HotAggregate() {
    users::register_user(rt);
    store->allow(1);
    EXPECT_TRUE(succeeded(rt.execute(users::CreateUser{"7", "Grace", "grace@x.org"})));
  }

  std::shared_ptr<held_appends_store> store =
      std::make_shared<held_appends_store>(make_memory_store());
  runtime rt{store};
};

TEST_F(HotAggregate, CommandsQueuedBehindAnAppendCommitAsOneAppend) {
  auto moved = rt.submit(users::ChangeEmail{"7", "x@x.org"});  // held
  std::vector<std::future<command_result>> changes;
  for (const char* email : {"a@x.org", "b@x.org", "c@x.org"})
    changes.push_back(rt.submit(users::ChangeEmail{"7", email}));
  wait_until_forwarded(rt);

  store->release();

  ASSERT_TRUE(succeeded(moved.get()));
  for (std::size_t index = 0; index < changes.size(); ++index) {
    auto changed = changes[index].get();
    ASSERT_TRUE(succeeded(changed));
    ASSERT_EQ(changed->size(), 1u);
    EXPECT_EQ(changed->front().version, index + 3);  // each gets its own event back
  }
  EXPECT_EQ(store->request_sizes("User-7"), (std::vector<std::size_t>{1, 1, 3}));
}

TEST_F(HotAggregate, RejectionInTheMiddleOfABatchRejectsThatCommandOnly) {
  auto moved = rt.submit(users::ChangeEmail{"7", "x@x.org"});  // held
  auto first = rt.submit(users::ChangeEmail{"7", "a@x.org"});
  auto unchanged = rt.submit(users::ChangeEmail{"7", "a@x.org"});  // the state has a@ by then
  auto last = rt.submit(users::ChangeEmail{"7", "b@x.org"});
  wait_until_forwarded(rt);

  store->release();

  ASSERT_TRUE(succeeded(moved.get()));
  auto first_outcome = first.get();
  ASSERT_TRUE(succeeded(first_outcome));
  EXPECT_EQ(first_outcome->front().version, 3u);
  EXPECT_TRUE(failed_with(unchanged.get(), error_kind::rejected));
  auto last_outcome = last.get();
  ASSERT_TRUE(succeeded(last_outcome));
  EXPECT_EQ(last_outcome->front().version, 4u);
  EXPECT_EQ(store->request_sizes("User-7"), (std::vector<std::size_t>{1, 1, 2}));
  auto grace = rt.versioned_state<users::User>("7");
  ASSERT_TRUE(succeeded(grace));
  EXPECT_EQ(grace->version, 4u);
  EXPECT_EQ(grace->state.email, "b@x.org");
  EXPECT_EQ(grace->state.email_changes, 3);
}

// User 7 at version 2 in `first`'s actor, three commands decided as one batch on that state,
// and the other writer moves the stream to version 3 before the batch reaches the store.
class HotAggregateAndASecondWriter : public ::testing::Test {
 protected:
  void run_batch_that_meets_a_conflict(std::size_t conflict_retries) {
    held = std::make_shared<held_appends_store>(backend.open());
    runtime_options options;
    options.conflict_retries = conflict_retries;
    first = std::make_unique<runtime>(held, options);
    users::register_user(*first);
    users::register_user(second);
    held->allow(1);
    ASSERT_TRUE(succeeded(first->execute(users::CreateUser{"7", "Grace", "grace@x.org"})));
    auto moved = first->submit(users::ChangeEmail{"7", "x@x.org"});  // held
    changes.push_back(first->submit(users::ChangeEmail{"7", "a@x.org"}));
    changes.push_back(first->submit(users::ChangeEmail{"7", "a@x.org"}));  // rejected on a@
    changes.push_back(first->submit(users::ChangeEmail{"7", "b@x.org"}));
    wait_until_forwarded(*first);
    held->allow(1);  // `moved` commits; the three are then decided as one batch, held
    ASSERT_TRUE(succeeded(moved.get()));
    ASSERT_TRUE(succeeded(second.execute(users::ChangeEmail{"7", "hopper@x.org"})));
    held->release();
  }

  std::vector<std::string> stored_emails() {
    auto stream = second.store().read_stream("User-7");
    std::vector<std::string> emails;
    for (std::size_t index = 1; index < stream->size(); ++index)
      emails.push_back(email_of((*stream)[index]));
    return emails;
  }

  sqlite_backend backend;
  std::shared_ptr<held_appends_store> held;
  std::unique_ptr<runtime> first;
  runtime second{backend.open()};
  std::vector<std::future<command_result>> changes;
};

TEST_F(HotAggregateAndASecondWriter, ConflictFailsTheFirstCommandAndTheRestAreDecidedAgain) {
  run_batch_that_meets_a_conflict(0);

  EXPECT_TRUE(failed_with(changes[0].get(), error_kind::conflict));
  // Decided again on hopper@: the rejection decided on a@ was never answered.
  auto again = changes[1].get();
  ASSERT_TRUE(succeeded(again));
  EXPECT_EQ(again->front().version, 4u);
  auto last = changes[2].get();
  ASSERT_TRUE(succeeded(last));
  EXPECT_EQ(last->front().version, 5u);
  EXPECT_EQ(stored_emails(),
            (std::vector<std::string>{"x@x.org", "hopper@x.org", "a@x.org", "b@x.org"}));
  auto grace = first->versioned_state<users::User>("7");
  ASSERT_TRUE(succeeded(grace));
  EXPECT_EQ(grace->version, 5u);
  EXPECT_EQ(grace->state.email_changes, 4);
}

TEST_F(HotAggregateAndASecondWriter, ConflictRetryDecidesTheWholeBatchAgainInOrder) {
  run_batch_that_meets_a_conflict(1);

  auto retried = changes[0].get();
  ASSERT_TRUE(succeeded(retried));
  EXPECT_EQ(retried->front().version, 4u);
  EXPECT_TRUE(failed_with(changes[1].get(), error_kind::rejected));
  auto last = changes[2].get();
  ASSERT_TRUE(succeeded(last));
  EXPECT_EQ(last->front().version, 5u);
  EXPECT_EQ(stored_emails(),
            (std::vector<std::string>{"x@x.org", "hopper@x.org", "a@x.org", "b@x.org"}));
}

}  // namespace
}  // namespace esk
