// Rebuilding a projection from position 1 while commands are served: a SQLite read model is
// built in a shadow file and swapped in whole, so its readers never see it half-built; other
// read models are cleared (on_reset) and rebuilt in place.
#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "aggregates/user.hpp"
#include "projections/email_table.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::failed_with;
using testing::sqlite_backend;
using testing::succeeded;

constexpr std::size_t users_before_rebuild = 1500;  // more than one catch-up page (1,024)

// A gate the rebuild's progress callback stops at after its first page, until the test opens
// it: what the test does meanwhile happens in the middle of the rebuild.
class rebuild_gate {
 public:
  // The progress callback: holds the first call until open().
  void at_progress() {
    std::unique_lock<std::mutex> lock{mutex_};
    if (reached_) return;
    reached_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return opened_; });
  }
  void wait_until_reached() {
    std::unique_lock<std::mutex> lock{mutex_};
    changed_.wait(lock, [&] { return reached_; });
  }
  void open() {
    std::lock_guard<std::mutex> lock{mutex_};
    opened_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool reached_ = false;
  bool opened_ = false;
};

class ProjectionRebuild : public ::testing::Test {
 protected:
  ProjectionRebuild() {
    users::register_user(rt);
    rt.add_projection(users::email_table(), users::email_table_options(model_path));
  }

  // Creates `count` users, all in flight at once, and remembers their emails.
  void create_users(std::size_t count) {
    std::vector<std::future<command_result>> created;
    for (std::size_t index = 0; index < count; ++index) {
      const std::string id = std::to_string(index);
      expected[id] = id + "@x.org";
      created.push_back(rt.submit(users::CreateUser{id, "user " + id, expected[id]}));
    }
    for (auto& outcome : created) ASSERT_TRUE(succeeded(outcome.get()));
  }

  // The read model's rows, as a reader of the file sees them now.
  std::map<std::string, std::string> model_rows() {
    auto rows = query_sqlite(model_path, "SELECT user_id, email FROM emails");
    EXPECT_TRUE(succeeded(rows));
    std::map<std::string, std::string> by_id;
    if (!rows) return by_id;
    for (const auto& row : *rows)
      by_id[std::get<std::string>(row[0])] = std::get<std::string>(row[1]);
    return by_id;
  }

  // Writes a wrong email into the model behind the projection's back (a bug to rebuild away).
  void corrupt_the_model() {
    auto model = sqlite_read_model::open(model_path);
    ASSERT_TRUE(succeeded(model));
    auto checkpoint = (*model)->checkpoint("emails");
    ASSERT_TRUE(succeeded(checkpoint));
    ASSERT_TRUE(succeeded((*model)->begin()));
    (*model)->transaction().execute("UPDATE emails SET email = 'wrong' WHERE user_id = '1'");
    ASSERT_TRUE(succeeded((*model)->commit("emails", *checkpoint)));
  }

  sqlite_backend backend;
  std::string model_path = backend.directory.file("model.db");
  runtime rt{backend.open()};
  std::map<std::string, std::string> expected;  // user ID -> email, as the commands left them
};

TEST_F(ProjectionRebuild, WhileCommandsFlowEndsEqualToAModelBuiltFromScratch) {
  create_users(users_before_rebuild);
  ASSERT_TRUE(succeeded(rt.sync_projections()));
  corrupt_the_model();
  rebuild_gate gate;
  auto last_progress = std::make_shared<rebuild_progress>();

  auto rebuilt = std::async(std::launch::async, [&] {
    return rt.rebuild_projection("emails", [&, last_progress](const rebuild_progress& progress) {
      *last_progress = progress;
      gate.at_progress();
    });
  });
  gate.wait_until_reached();
  for (std::size_t index = 0; index < 100; ++index) {  // served in the middle of the rebuild
    const std::string id = std::to_string(index * 7);
    expected[id] = "changed-" + id + "@x.org";
    ASSERT_TRUE(succeeded(rt.execute(users::ChangeEmail{id, expected[id]})));
  }
  gate.open();

  ASSERT_TRUE(succeeded(rebuilt.get()));
  ASSERT_TRUE(succeeded(rt.sync_projections()));
  EXPECT_EQ(model_rows(), expected);
  EXPECT_EQ(last_progress->last, users_before_rebuild);  // the log's end when it began
  EXPECT_GE(last_progress->position, last_progress->last);
  EXPECT_FALSE(std::filesystem::exists(model_path + ".rebuild"));  // the shadow is gone
}

TEST_F(ProjectionRebuild, AReaderDuringTheRebuildSeesTheOldCompleteModel) {
  create_users(users_before_rebuild);
  ASSERT_TRUE(succeeded(rt.sync_projections()));
  const auto before = model_rows();
  ASSERT_EQ(before.size(), users_before_rebuild);
  rebuild_gate gate;

  auto rebuilt = std::async(std::launch::async, [&] {
    return rt.rebuild_projection("emails", [&](const rebuild_progress&) { gate.at_progress(); });
  });
  gate.wait_until_reached();  // one page of 1,024 events applied again, 476 to go
  const auto during = model_rows();
  gate.open();

  EXPECT_EQ(during, before);
  ASSERT_TRUE(succeeded(rebuilt.get()));
  EXPECT_EQ(model_rows(), before);
}

TEST(ProjectionRebuildInPlace, AnInMemoryModelIsClearedWithOnResetAndAppliedAgain) {
  runtime rt{make_memory_store()};
  users::register_user(rt);
  auto emails = std::make_shared<std::vector<std::string>>();  // touched on its thread only
  typed_projection seen("seen");
  seen.on<users::UserCreated>([emails](const users::UserCreated& created, const event_context&) {
    emails->push_back(created.email);
  });
  seen.on_reset([emails] { emails->clear(); });
  rt.add_projection(seen);
  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"1", "Ada", "ada@x.org"})));
  ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{"2", "Grace", "grace@x.org"})));
  ASSERT_TRUE(succeeded(rt.sync_projections()));

  ASSERT_TRUE(succeeded(rt.rebuild_projection("seen")));
  ASSERT_TRUE(succeeded(rt.sync_projections()));

  EXPECT_EQ(*emails, (std::vector<std::string>{"ada@x.org", "grace@x.org"}));  // once each
}

TEST(ProjectionRebuildInPlace, AProjectionThatCannotBeResetIsNotRebuilt) {
  runtime rt{make_memory_store()};
  users::register_user(rt);
  typed_projection seen("seen");
  seen.on<users::UserCreated>([](const users::UserCreated&, const event_context&) {});
  rt.add_projection(seen);

  EXPECT_TRUE(failed_with(rt.rebuild_projection("seen"), error_kind::invalid_argument));
  EXPECT_TRUE(failed_with(rt.rebuild_projection("nobody"), error_kind::invalid_argument));
}

}  // namespace
}  // namespace esk
