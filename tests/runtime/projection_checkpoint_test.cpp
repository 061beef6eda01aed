// Durable checkpoints: a projection that keeps its checkpoint in the event store resumes after
// it on restart; one whose read model is in SQLite commits rows and checkpoint together, so a
// restart applies each event exactly once; and the switch from catch-up to live commits loses
// and doubles nothing, also when the projection is too far behind to be sent the commits.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <future>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "aggregates/user.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::recording_projection;
using testing::succeeded;

void create_users(runtime& rt, int first, int count) {
  for (int id = first; id < first + count; ++id)
    ASSERT_TRUE(succeeded(
        rt.execute(users::CreateUser{std::to_string(id), "User", std::to_string(id) + "@x.org"})));
}

std::vector<std::uint64_t> one_to(std::uint64_t last) {
  std::vector<std::uint64_t> positions(last);
  std::iota(positions.begin(), positions.end(), 1);
  return positions;
}

projection_options checkpointed_in_store() {
  projection_options options;
  options.checkpoints = checkpoint_location::in_event_store();
  return options;
}

TEST(ProjectionCheckpoint, RestartResumesAfterTheCheckpointInTheEventStore) {
  testing::sqlite_backend backend;
  {
    runtime first{backend.open()};
    users::register_user(first);
    auto before = std::make_shared<recording_projection>();
    first.add_projection(before, checkpointed_in_store());
    create_users(first, 1, 3);
    ASSERT_TRUE(succeeded(first.sync_projections()));
    ASSERT_EQ(before->positions(), one_to(3));
  }
  runtime second{backend.open()};
  users::register_user(second);
  auto after = std::make_shared<recording_projection>();
  second.add_projection(after, checkpointed_in_store());
  create_users(second, 4, 2);

  ASSERT_TRUE(succeeded(second.sync_projections()));

  EXPECT_EQ(after->positions(), (std::vector<std::uint64_t>{4, 5}));
  EXPECT_EQ(*second.store().read_checkpoint("recording"), 5u);
}

TEST(ProjectionCheckpoint, ProjectionWithoutCheckpointReplaysFromTheStart) {
  testing::sqlite_backend backend;
  {
    runtime first{backend.open()};
    users::register_user(first);
    create_users(first, 1, 2);
  }
  runtime second{backend.open()};
  users::register_user(second);
  auto in_memory = std::make_shared<recording_projection>();
  second.add_projection(in_memory);

  ASSERT_TRUE(succeeded(second.sync_projections()));

  EXPECT_EQ(in_memory->positions(), one_to(2));
}

// A SQLite read model: one row per user, and one row per applied position (its PRIMARY KEY makes
// a second application of an event fail).
constexpr const char* users_schema =
    "CREATE TABLE IF NOT EXISTS users(id TEXT PRIMARY KEY, email TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS applied(position INTEGER PRIMARY KEY);";

typed_projection users_table() {
  typed_projection table("users_table");
  table.on<users::UserCreated>([](const users::UserCreated& created, const event_context& at) {
    at.sql().execute("INSERT INTO users(id, email) VALUES(?1, ?2)",
                     {created.user_id, created.email});
    at.sql().execute("INSERT INTO applied(position) VALUES(?1)",
                     {static_cast<std::int64_t>(at.position())});
  });
  return table;
}

std::int64_t count_rows(const std::string& path, const std::string& table) {
  auto rows = query_sqlite(path, "SELECT count(*) FROM " + table);
  EXPECT_TRUE(succeeded(rows));
  return rows.ok() ? std::get<std::int64_t>((*rows)[0][0]) : -1;
}

class SqliteReadModelProjection : public ::testing::TestWithParam<bool> {
 protected:
  // The read model in the events' file (true) or a file of its own.
  std::string read_model_path() {
    return GetParam() ? backend.path : backend.directory.file("read_model.db");
  }
  projection_options in_sqlite() {
    projection_options options;
    options.checkpoints = checkpoint_location::in_sqlite(read_model_path(), users_schema);
    options.checkpoint_every = 2;  // several batches
    return options;
  }
  testing::sqlite_backend backend;
};

TEST_P(SqliteReadModelProjection, RestartAppliesEachEventExactlyOnce) {
  {
    runtime first{backend.open()};
    users::register_user(first);
    first.add_projection(users_table(), in_sqlite());
    create_users(first, 1, 5);
    ASSERT_TRUE(succeeded(first.sync_projections()));
  }
  runtime second{backend.open()};
  users::register_user(second);
  second.add_projection(users_table(), in_sqlite());
  create_users(second, 6, 2);

  ASSERT_TRUE(succeeded(second.sync_projections()));

  EXPECT_EQ(count_rows(read_model_path(), "users"), 7);
  EXPECT_EQ(count_rows(read_model_path(), "applied"), 7);
  auto checkpoint =
      query_sqlite(read_model_path(), "SELECT position FROM projection_checkpoints WHERE name = ?1",
                   {std::string("users_table")});
  ASSERT_TRUE(succeeded(checkpoint));
  EXPECT_EQ(std::get<std::int64_t>((*checkpoint)[0][0]), 7);
  auto statuses = second.projection_statuses();
  ASSERT_TRUE(succeeded(statuses));
  EXPECT_EQ((*statuses)[0].state, projection_state::running);
}

INSTANTIATE_TEST_SUITE_P(ReadModelFile, SqliteReadModelProjection, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& in_events_file) {
                           return in_events_file.param ? "InTheEventsFile" : "InItsOwnFile";
                         });

// Starts a projection over `existing` events while commands keep committing; every position
// must be applied once, in order.
void expect_switch_to_live_loses_and_doubles_nothing(std::size_t max_buffered_events) {
  runtime rt{make_memory_store()};
  users::register_user(rt);
  constexpr int existing = 3000;
  constexpr int concurrent = 400;
  create_users(rt, 0, existing);
  std::vector<std::future<command_result>> committing;
  for (int id = existing; id < existing + concurrent / 2; ++id)
    committing.push_back(rt.submit(users::CreateUser{std::to_string(id), "U", "u@x.org"}));
  auto recording = std::make_shared<recording_projection>();
  projection_options options;
  options.max_buffered_events = max_buffered_events;
  rt.add_projection(recording, options);
  for (int id = existing + concurrent / 2; id < existing + concurrent; ++id)
    committing.push_back(rt.submit(users::CreateUser{std::to_string(id), "U", "u@x.org"}));
  for (auto& outcome : committing) ASSERT_TRUE(succeeded(outcome.get()));

  ASSERT_TRUE(succeeded(rt.sync_projections()));

  EXPECT_EQ(recording->positions(), one_to(existing + concurrent));
}

TEST(ProjectionCatchUp, SwitchToLiveUnderConcurrentCommitsLosesAndDoublesNothing) {
  expect_switch_to_live_loses_and_doubles_nothing(10000);
}

TEST(ProjectionCatchUp, ProjectionTooFarBehindReadsTheStoreAndLosesAndDoublesNothing) {
  expect_switch_to_live_loses_and_doubles_nothing(1);
}

}  // namespace
}  // namespace esk
