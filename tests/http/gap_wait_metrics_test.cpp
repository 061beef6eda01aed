// GET /metrics reports the store's gap wait (runtime::gap_waits): how many append transactions
// waited for other appends to end, and how long in all.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "esk/store/forwarding_store.hpp"
#include "http_test_support.hpp"

namespace esk::testing {
namespace {

// A store whose appends waited 3 times, 2.5 ms in all (as a PostgreSQL store shared with other
// writers reports it).
class waited_store final : public forwarding_store {
 public:
  using forwarding_store::forwarding_store;
  gap_wait_statistics gap_waits() const override { return {3, std::chrono::microseconds{2500}}; }
};

TEST(HttpGapWaitMetrics, MetricsReportHowOftenAndHowLongAppendsWaitedForOthers) {
  served_runtime served(served_runtime::loopback(),
                        std::make_shared<waited_store>(make_memory_store()));
  EXPECT_EQ(served.rt().gap_waits().waits, 3u);

  auto answer = served.client().get("/metrics");

  ASSERT_EQ(answer.status, 200);
  EXPECT_NE(answer.body.find("\nesk_store_gap_waits_total 3\n"), std::string::npos) << answer.body;
  EXPECT_NE(answer.body.find("\nesk_store_gap_wait_seconds_total 0.002500\n"), std::string::npos)
      << answer.body;
  EXPECT_NE(answer.body.find("# TYPE esk_store_gap_waits_total counter"), std::string::npos);
}

TEST(HttpGapWaitMetrics, AStoreOfOneProcessReportsNoWait) {
  served_runtime served;
  auto answer = served.client().get("/metrics");
  ASSERT_EQ(answer.status, 200);
  EXPECT_NE(answer.body.find("\nesk_store_gap_waits_total 0\n"), std::string::npos) << answer.body;
}

}  // namespace
}  // namespace esk::testing
