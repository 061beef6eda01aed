// End to end through the actors, on each store backend: command -> durable event with its
// metadata -> aggregate state -> projections.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "aggregates/user.hpp"
#include "esk/identifiers.hpp"
#include "projections/users_by_email.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::contains;
using testing::failed_with;
using testing::recording_projection;
using testing::succeeded;

// Throws on every event.
class failing_projection : public projection {
 public:
  std::string name() const override { return "always_fails"; }
  void apply(const recorded_event&) override { throw std::runtime_error("the read model is full"); }
};

// Throws something that is not a std::exception, as some libraries do.
class projection_throwing_a_non_exception : public projection {
 public:
  std::string name() const override { return "throws_an_int"; }
  void apply(const recorded_event&) override { throw 42; }
};

bool is_unique_id(const std::string& id) {
  return std::regex_match(id, std::regex("[0-9a-f]{32}"));
}

bool is_utc_timestamp(const std::string& text) {
  return std::regex_match(text, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"));
}

template <class Backend>
class EndToEnd : public ::testing::Test {
 protected:
  EndToEnd() { users::register_user(rt); }

  std::vector<std::uint64_t> log_positions() {
    auto log = rt.store().read_all();
    EXPECT_TRUE(succeeded(log));
    std::vector<std::uint64_t> positions;
    if (log.ok())
      for (const auto& event : *log) positions.push_back(event.position);
    return positions;
  }

  // Two users, one email change, one rejected command: four commands, three events.
  void run_some_commands() {
    ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"1", "Ada", "ada@x.org"})));
    ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"2", "Grace", "grace@x.org"})));
    ASSERT_TRUE(
        failed_with(rt.execute(users::CreateUser{"1", "Ada", "ada@x.org"}), error_kind::rejected));
    ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{"1", "countess@x.org"})));
  }

  Backend backend;
  runtime rt{backend.open()};
};

using Backends = ::testing::Types<testing::memory_backend, testing::sqlite_backend>;
TYPED_TEST_SUITE(EndToEnd, Backends, testing::backend_name);

TYPED_TEST(EndToEnd, AcknowledgedEventIsInTheStore) {
  auto created = this->rt.execute(users::CreateUser{"42", "Ada", "ada@x.org"});

  ASSERT_TRUE(succeeded(created));
  // A store opened separately (for SQLite: a new connection to the file) reads it back.
  auto stored = this->backend.open()->read_stream("User-42");
  ASSERT_TRUE(succeeded(stored));
  ASSERT_EQ(stored->size(), 1u);
  const auto& event = stored->front();
  EXPECT_EQ(event.stream, "User-42");
  EXPECT_EQ(event.version, 1u);
  EXPECT_EQ(event.position, created->front().position);
  EXPECT_EQ(event.type, "UserCreated@v2");  // schema version 2 (examples/users, upcasting.hpp)
  auto payload =
      decode_payload_text<users::UserCreated>(event.payload, event.type, unknown_fields::reject);
  ASSERT_TRUE(succeeded(payload));
  EXPECT_EQ(payload->name, "Ada");
  EXPECT_EQ(payload->email, "ada@x.org");
}

TYPED_TEST(EndToEnd, RecordedEventCarriesTheGivenTracingIds) {
  command_options options{"command-1", "conversation-7", "message-3"};

  auto created = this->rt.execute(users::CreateUser{"42", "Ada", "ada@x.org"}, options);

  ASSERT_TRUE(succeeded(created));
  auto stored = this->rt.store().read_stream("User-42");
  ASSERT_TRUE(succeeded(stored));
  ASSERT_EQ(stored->size(), 1u);
  const auto& metadata = stored->front().metadata;
  EXPECT_EQ(metadata.command_id, "command-1");
  EXPECT_EQ(metadata.correlation_id, "conversation-7");
  EXPECT_EQ(metadata.causation_id, "message-3");
}

TYPED_TEST(EndToEnd, RecordedEventHasAUniqueIdAndTheTimeItWasRecorded) {
  const std::string before = utc_timestamp_now();
  ASSERT_TRUE(succeeded(this->rt.execute(users::CreateUser{"1", "Ada", "ada@x.org"})));
  ASSERT_TRUE(succeeded(this->rt.execute(users::CreateUser{"2", "Grace", "grace@x.org"})));
  const std::string after = utc_timestamp_now();

  auto log = this->rt.store().read_all();
  ASSERT_TRUE(succeeded(log));
  ASSERT_EQ(log->size(), 2u);
  for (const auto& event : *log) {
    EXPECT_TRUE(is_unique_id(event.metadata.event_id)) << event.metadata.event_id;
    EXPECT_TRUE(is_utc_timestamp(event.metadata.recorded_at)) << event.metadata.recorded_at;
    EXPECT_LE(before, event.metadata.recorded_at);
    EXPECT_LE(event.metadata.recorded_at, after);
  }
  EXPECT_NE((*log)[0].metadata.event_id, (*log)[1].metadata.event_id);
}

TYPED_TEST(EndToEnd, TracingIdsDefaultToAGeneratedCommandId) {
  auto created = this->rt.execute(users::CreateUser{"42", "Ada", "ada@x.org"});

  ASSERT_TRUE(succeeded(created));
  const auto& metadata = created->front().metadata;
  EXPECT_TRUE(is_unique_id(metadata.command_id)) << metadata.command_id;
  EXPECT_EQ(metadata.correlation_id, metadata.command_id);
  EXPECT_EQ(metadata.causation_id, metadata.command_id);
}

TYPED_TEST(EndToEnd, AcknowledgementReturnsWhatTheStoreRecorded) {
  auto created = this->rt.execute(users::CreateUser{"42", "Ada", "ada@x.org"});

  ASSERT_TRUE(succeeded(created));
  auto stored = this->rt.store().read_stream("User-42");
  ASSERT_TRUE(succeeded(stored));
  ASSERT_EQ(stored->size(), 1u);
  ASSERT_EQ(created->size(), 1u);
  EXPECT_EQ(created->front().position, stored->front().position);
  EXPECT_EQ(created->front().payload, stored->front().payload);
  EXPECT_EQ(created->front().metadata.event_id, stored->front().metadata.event_id);
  EXPECT_EQ(created->front().metadata.recorded_at, stored->front().metadata.recorded_at);
}

TYPED_TEST(EndToEnd, StateFollowsTheRecordedEvents) {
  this->run_some_commands();

  auto ada = this->rt.template state<users::User>("1");
  auto grace = this->rt.template state<users::User>("2");

  ASSERT_TRUE(succeeded(ada));
  ASSERT_TRUE(succeeded(grace));
  EXPECT_EQ(ada->email, "countess@x.org");
  EXPECT_EQ(ada->email_changes, 1);
  EXPECT_EQ(grace->email, "grace@x.org");
}

TYPED_TEST(EndToEnd, ProjectionSeesEveryEventOnceInPositionOrder) {
  auto recording = std::make_shared<recording_projection>();
  this->rt.add_projection(recording);
  this->run_some_commands();

  ASSERT_TRUE(succeeded(this->rt.sync_projections()));

  EXPECT_EQ(this->log_positions(), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(recording->positions(), this->log_positions());
}

TYPED_TEST(EndToEnd, UsersByEmailFollowsCommands) {
  auto by_email = std::make_shared<users::UsersByEmail>();
  this->rt.add_projection(by_email);
  this->run_some_commands();

  ASSERT_TRUE(succeeded(this->rt.sync_projections()));

  EXPECT_EQ(by_email->find("countess@x.org"), "1");
  EXPECT_EQ(by_email->find("grace@x.org"), "2");
  EXPECT_EQ(by_email->find("ada@x.org"), std::nullopt);
  EXPECT_EQ(by_email->size(), 2u);
}

TYPED_TEST(EndToEnd, ProjectionAddedLaterCatchesUpFromTheLog) {
  this->run_some_commands();
  auto recording = std::make_shared<recording_projection>();

  this->rt.add_projection(recording);
  ASSERT_TRUE(succeeded(this->rt.sync_projections()));

  EXPECT_EQ(recording->positions(), this->log_positions());
}

TYPED_TEST(EndToEnd, ProjectionAddedLaterThenFollowsNewCommits) {
  this->run_some_commands();
  auto recording = std::make_shared<recording_projection>();
  this->rt.add_projection(recording);
  ASSERT_TRUE(succeeded(this->rt.execute(users::CreateUser{"3", "Edsger", "ewd@x.org"})));

  ASSERT_TRUE(succeeded(this->rt.sync_projections()));

  EXPECT_EQ(recording->positions(), (std::vector<std::uint64_t>{1, 2, 3, 4}));
}

TYPED_TEST(EndToEnd, ThrowingProjectionMakesSyncReportHandlerFailed) {
  this->rt.add_projection(std::make_shared<failing_projection>());
  ASSERT_TRUE(succeeded(this->rt.execute(users::CreateUser{"1", "Ada", "ada@x.org"})));

  auto synced = this->rt.sync_projections();

  ASSERT_TRUE(failed_with(synced, error_kind::handler_failed));
  EXPECT_TRUE(contains(synced.error_value().message, "always_fails"));
  EXPECT_TRUE(contains(synced.error_value().message, "the read model is full"));
}

TYPED_TEST(EndToEnd, ProjectionThrowingANonExceptionMakesSyncReportHandlerFailed) {
  this->rt.add_projection(std::make_shared<projection_throwing_a_non_exception>());
  ASSERT_TRUE(succeeded(this->rt.execute(users::CreateUser{"1", "Ada", "ada@x.org"})));

  auto synced = this->rt.sync_projections();

  ASSERT_TRUE(failed_with(synced, error_kind::handler_failed));
  EXPECT_TRUE(contains(synced.error_value().message, "throws_an_int"));
}

TYPED_TEST(EndToEnd, ThrowingProjectionDoesNotFailCommands) {
  this->rt.add_projection(std::make_shared<failing_projection>());
  ASSERT_TRUE(succeeded(this->rt.execute(users::CreateUser{"1", "Ada", "ada@x.org"})));
  ASSERT_TRUE(failed_with(this->rt.sync_projections(), error_kind::handler_failed));

  auto changed = this->rt.execute(users::ChangeEmail{"1", "countess@x.org"});

  EXPECT_TRUE(succeeded(changed));
}

}  // namespace
}  // namespace esk
