// Typed projections: handlers per registered event type get the decoded event and where it
// stands in the log; events without a handler are passed over; mistakes show at registration.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "aggregates/user.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::succeeded;

struct not_registered_event {
  int value = 0;
};

class TypedProjection : public ::testing::Test {
 protected:
  TypedProjection() { users::register_user(rt); }

  runtime rt{make_memory_store()};
};

TEST_F(TypedProjection, HandlersGetTheDecodedEventAndWhereItStands) {
  struct seen_event {
    std::string email, stream, command_id;
    std::uint64_t version, position;
  };
  auto seen = std::make_shared<std::vector<seen_event>>();
  auto seen_mutex = std::make_shared<std::mutex>();
  typed_projection by_email("by_email");
  by_email.on<users::UserCreated>([=](const users::UserCreated& created, const event_context& at) {
    std::lock_guard<std::mutex> lock{*seen_mutex};
    seen->push_back(
        {created.email, at.stream(), at.metadata().command_id, at.version(), at.position()});
  });
  by_email.on<users::UserEmailChanged>(
      [=](const users::UserEmailChanged& changed, const event_context& at) {
        std::lock_guard<std::mutex> lock{*seen_mutex};
        seen->push_back(
            {changed.email, at.stream(), at.metadata().command_id, at.version(), at.position()});
      });
  rt.add_projection(by_email);
  command_options traced;
  traced.command_id = "command-1";

  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"1", "Ada", "ada@x.org"}, traced)));
  ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"1", "countess@x.org"})));
  ASSERT_TRUE(succeeded(rt.sync_projections()));

  std::lock_guard<std::mutex> lock{*seen_mutex};
  ASSERT_EQ(seen->size(), 2u);
  EXPECT_EQ((*seen)[0].email, "ada@x.org");
  EXPECT_EQ((*seen)[0].stream, "User-1");
  EXPECT_EQ((*seen)[0].command_id, "command-1");
  EXPECT_EQ((*seen)[0].version, 1u);
  EXPECT_EQ((*seen)[0].position, 1u);
  EXPECT_EQ((*seen)[1].email, "countess@x.org");
  EXPECT_EQ((*seen)[1].version, 2u);
  EXPECT_EQ((*seen)[1].position, 2u);
}

// A stored payload that is not JSON fails its event like a throwing handler (here: skipped);
// the events after it are parsed and decoded as before (the parser is reused from one event to
// the next, and a failed parse leaves nothing behind in it).
TEST(TypedProjectionPayloads, PayloadThatIsNotJsonFailsItsEventAndTheNextIsDecoded) {
  auto store = make_memory_store();
  auto event = [](std::string payload) {
    return new_event{"UserCreated", std::move(payload), {"e", "c", "c", "c", "t"}};
  };
  ASSERT_TRUE(store->append({"User-1", 0, {event("{\"user_id\": \"1\", \"name")}}).ok());
  ASSERT_TRUE(
      store
          ->append(
              {"User-2", 0, {event(R"({"user_id": "2", "name": "Grace", "email": "g@x.org"})")}})
          .ok());
  runtime rt{store};
  users::register_user(rt);
  auto emails = std::make_shared<std::vector<std::string>>();
  typed_projection by_email("by_email");
  by_email.on<users::UserCreated>([=](const users::UserCreated& created, const event_context&) {
    emails->push_back(created.email);
  });
  projection_options options;
  options.on_failure = failure_policy::skip();
  rt.add_projection(by_email, options);

  ASSERT_TRUE(succeeded(rt.sync_projections()));

  EXPECT_EQ(*emails, std::vector<std::string>{"g@x.org"});
  auto statuses = rt.projection_statuses();
  ASSERT_TRUE(succeeded(statuses));
  ASSERT_EQ(statuses->size(), 1u);
  EXPECT_EQ((*statuses)[0].skipped, 1u);
}

TEST_F(TypedProjection, EventsWithoutAHandlerArePassedOver) {
  auto changes = std::make_shared<std::vector<std::string>>();
  typed_projection email_changes("email_changes");
  email_changes.on<users::UserEmailChanged>(
      [=](const users::UserEmailChanged& changed, const event_context&) {
        changes->push_back(changed.email);
      });
  rt.add_projection(email_changes);

  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"1", "Ada", "ada@x.org"})));
  ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"1", "countess@x.org"})));
  ASSERT_TRUE(succeeded(rt.sync_projections()));

  EXPECT_EQ(*changes, std::vector<std::string>{"countess@x.org"});
}

TEST_F(TypedProjection, HandlerOfAnUnregisteredEventTypeIsRefusedWhenAdded) {
  typed_projection wrong("wrong");
  wrong.on<not_registered_event>([](const not_registered_event&, const event_context&) {});

  EXPECT_THROW(rt.add_projection(wrong), std::logic_error);
}

TEST_F(TypedProjection, SecondProjectionWithTheSameNameIsRefused) {
  rt.add_projection(typed_projection("by_email"));

  EXPECT_THROW(rt.add_projection(typed_projection("by_email")), std::logic_error);
}

}  // namespace
}  // namespace esk
