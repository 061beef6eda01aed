// A projection never skips a position: when the store cannot be read while the projection is
// behind, it stays at its last applied event, sync_projections() reports store_unavailable, and
// once the store is readable again it applies every missing event, in order, exactly once.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "aggregates/user.hpp"
#include "flaky_store.hpp"
#include "runtime_test_support.hpp"

namespace esk {
namespace {

using testing::contains;
using testing::failed_with;
using testing::flaky_store;
using testing::log_capture;
using testing::recording_projection;
using testing::succeeded;

class ProjectionReadFailure : public ::testing::Test {
 protected:
  ProjectionReadFailure() { users::register_user(rt); }

  void create_user(const std::string& id) {
    ASSERT_TRUE(succeeded(rt.execute(users::CreateUser{id, "User " + id, id + "@x.org"})));
  }

  std::shared_ptr<flaky_store> store = std::make_shared<flaky_store>(make_memory_store());
  log_capture log;
  runtime rt{store, testing::logged_to(log)};
  std::shared_ptr<recording_projection> projection = std::make_shared<recording_projection>();
};

TEST_F(ProjectionReadFailure, AFailedCatchUpReadNeverLetsALiveEventJumpTheGap) {
  create_user("1");
  create_user("2");
  store->fail_log_reads = true;
  rt.add_projection(projection);  // must read positions 1 and 2 from the store: fails
  create_user("3");               // position 3 arrives live, behind the gap

  auto while_unreadable = rt.sync_projections();

  ASSERT_TRUE(failed_with(while_unreadable, error_kind::store_unavailable));
  EXPECT_TRUE(contains(while_unreadable.error_value().message, "projection 'recording'"));
  EXPECT_TRUE(projection->positions().empty());
  EXPECT_TRUE(log.has_line_with({"projection 'recording'", "injected read failure"}));

  store->fail_log_reads = false;
  ASSERT_TRUE(succeeded(rt.sync_projections()));
  EXPECT_EQ(projection->positions(), (std::vector<std::uint64_t>{1, 2, 3}));
}

}  // namespace
}  // namespace esk
