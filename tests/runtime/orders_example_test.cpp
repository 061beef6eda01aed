// The orders example (examples/orders): the fulfilment process charges a placed order once and
// ships it, and the order_summaries read model follows; a replay of the process charges nothing
// twice.
#include <gtest/gtest.h>

#include <string>

#include "runtime_test_support.hpp"
#include "shop.hpp"

namespace esk {
namespace {

using testing::sqlite_backend;
using testing::succeeded;

// Lets the process and the read model act on what the round before produced, three rounds
// (placed -> charged -> shipped).
void settle(runtime& rt) {
  for (int round = 0; round < 3; ++round) ASSERT_TRUE(succeeded(rt.sync_projections()));
}

std::size_t stream_length(event_store& store, const std::string& stream) {
  auto events = store.read_stream(stream);
  return events ? events->size() : 0;
}

TEST(OrdersExample, APlacedOrderIsChargedOnceShippedAndSummarized) {
  sqlite_backend backend;
  const std::string read_model = backend.directory.file("read.db");
  runtime rt{backend.open()};
  orders::register_shop(rt, read_model);

  ASSERT_TRUE(succeeded(rt.execute(orders::PlaceOrder{"1", "ada", 4200})));
  settle(rt);

  auto payment = rt.state<orders::Payment>("1");
  ASSERT_TRUE(succeeded(payment));
  EXPECT_EQ(payment->charged_cents, 4200);
  EXPECT_EQ(stream_length(rt.store(), "Shipment-1"), 1u);
  auto rows = query_sqlite(read_model, "SELECT status FROM order_summaries WHERE order_id = '1'");
  ASSERT_TRUE(succeeded(rows));
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(std::get<std::string>((*rows)[0][0]), "shipped");
}

TEST(OrdersExample, AReplayOfTheFulfilmentProcessChargesNothingTwice) {
  sqlite_backend backend;
  const std::string read_model = backend.directory.file("read.db");
  {
    runtime rt{backend.open()};
    orders::register_shop(rt, read_model);
    ASSERT_TRUE(succeeded(rt.execute(orders::PlaceOrder{"1", "ada", 4200})));
    ASSERT_TRUE(succeeded(rt.execute(orders::PlaceOrder{"2", "grace", 990})));
    settle(rt);
  }
  ASSERT_TRUE(succeeded(backend.open()->save_checkpoint("fulfilment", 0)));  // as after a crash

  runtime rt{backend.open()};
  orders::register_shop(rt, read_model);
  settle(rt);

  for (const char* id : {"1", "2"}) {
    EXPECT_EQ(stream_length(rt.store(), std::string("Payment-") + id), 1u) << "order " << id;
    EXPECT_EQ(stream_length(rt.store(), std::string("Shipment-") + id), 1u) << "order " << id;
  }
  auto statuses = rt.projection_statuses();
  ASSERT_TRUE(succeeded(statuses));
  for (const auto& status : *statuses) EXPECT_EQ(status.lag, 0u) << status.name;
}

}  // namespace
}  // namespace esk
