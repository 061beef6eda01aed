// The asynchronous embedding API: send with a callback, submit with a future. Each delivers the
// outcome exactly once; destroying the runtime first lets every command in flight finish.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "aggregates/user.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::failed_with;
using testing::succeeded;

struct DeleteUser {  // registered by no aggregate
  std::string user_id;
};

// A command callback that counts its calls and hands the first outcome to a future.
class counted_callback {
 public:
  command_callback callback() {
    return [this](command_result outcome) {
      if (calls_.fetch_add(1) == 0) first_.set_value(std::move(outcome));
    };
  }
  std::future<command_result> first_outcome() { return first_.get_future(); }
  int calls() const { return calls_.load(); }

 private:
  std::atomic<int> calls_{0};
  std::promise<command_result> first_;
};

class AsyncApi : public ::testing::Test {
 protected:
  AsyncApi() { users::register_user(*rt); }

  // Destroying the runtime waits for every command in flight: after it, no callback can
  // come any more, so counting calls is final.
  void stop_runtime() { rt.reset(); }

  std::shared_ptr<event_store> store = make_memory_store();
  std::unique_ptr<runtime> rt = std::make_unique<runtime>(store);
};

TEST_F(AsyncApi, SendCallsItsCallbackExactlyOnceWithTheEvents) {
  counted_callback done;
  auto outcome = done.first_outcome();

  rt->send(users::CreateUser{"42", "Ada", "ada@x.org"}, done.callback());

  auto created = outcome.get();
  ASSERT_TRUE(succeeded(created));
  EXPECT_EQ(created->size(), 1u);
  stop_runtime();
  EXPECT_EQ(done.calls(), 1);
}

TEST_F(AsyncApi, SendCallsItsCallbackExactlyOnceWithARejection) {
  ASSERT_TRUE(succeeded(rt->execute(users::CreateUser{"42", "Ada", "ada@x.org"})));
  counted_callback done;
  auto outcome = done.first_outcome();

  rt->send(users::CreateUser{"42", "Ada", "ada@x.org"}, done.callback());

  EXPECT_TRUE(failed_with(outcome.get(), error_kind::rejected));
  stop_runtime();
  EXPECT_EQ(done.calls(), 1);
}

TEST_F(AsyncApi, SendCallsItsCallbackExactlyOnceForAnUnknownCommand) {
  counted_callback done;
  auto outcome = done.first_outcome();

  rt->send(DeleteUser{"42"}, done.callback());

  EXPECT_TRUE(failed_with(outcome.get(), error_kind::unknown_command));
  stop_runtime();
  EXPECT_EQ(done.calls(), 1);
}

TEST_F(AsyncApi, SendJsonCallsItsCallbackExactlyOnce) {
  counted_callback done;
  auto outcome = done.first_outcome();

  rt->send_json(
      R"({"type": "CreateUser", "payload": {"user_id": "7", "name": "G", "email": "g@x"}})",
      done.callback());

  EXPECT_TRUE(succeeded(outcome.get()));
  stop_runtime();
  EXPECT_EQ(done.calls(), 1);
}

TEST_F(AsyncApi, SendJsonCallsItsCallbackExactlyOnceForBadJson) {
  counted_callback done;
  auto outcome = done.first_outcome();

  rt->send_json("{not json", done.callback());

  EXPECT_TRUE(failed_with(outcome.get(), error_kind::bad_json));
  stop_runtime();
  EXPECT_EQ(done.calls(), 1);
}

// runtime.hpp: send "calls `on_done` exactly once, on an actor thread". A callback that runs on
// the caller's own thread, inside send, deadlocks a caller that holds a lock its callback takes.
TEST_F(AsyncApi, SendNeverRunsTheCallbackOnTheCallersThread) {
  std::promise<std::thread::id> called_on;
  auto callback_thread = called_on.get_future();

  rt->send(DeleteUser{"42"},
           [&called_on](command_result) { called_on.set_value(std::this_thread::get_id()); });

  EXPECT_NE(callback_thread.get(), std::this_thread::get_id());
}

TEST_F(AsyncApi, SubmitDeliversTheEventsThroughAFuture) {
  auto outcome = rt->submit(users::CreateUser{"42", "Ada", "ada@x.org"}, {"command-42", "", ""});

  auto created = outcome.get();

  ASSERT_TRUE(succeeded(created));
  ASSERT_EQ(created->size(), 1u);
  EXPECT_EQ(created->front().metadata.command_id, "command-42");
}

TEST_F(AsyncApi, SubmittedCommandIsRecordedExactlyOnce) {
  auto created = rt->submit(users::CreateUser{"42", "Ada", "ada@x.org"}, {"command-42", "", ""});
  ASSERT_TRUE(succeeded(created.get()));

  stop_runtime();

  auto log = store->read_all();
  ASSERT_TRUE(succeeded(log));
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ(log->front().metadata.command_id, "command-42");
}

TEST_F(AsyncApi, SubmitDeliversARejectionThroughAFuture) {
  auto unknown = rt->submit(users::ChangeEmail{"404", "nobody@x.org"});

  EXPECT_TRUE(failed_with(unknown.get(), error_kind::rejected));
}

TEST_F(AsyncApi, DestroyingTheRuntimeWaitsForEveryCommandInFlight) {
  constexpr int commands = 500;
  std::atomic<int> completed{0};
  for (int i = 0; i < commands; ++i)
    rt->send(users::CreateUser{std::to_string(i % 50), "U", "u@x.org"},
             [&completed](command_result) { ++completed; });

  stop_runtime();

  EXPECT_EQ(completed.load(), commands);
}

}  // namespace
}  // namespace esk
