// Specs of the orders domain: given events, when a command, then the events it records or its
// rejection (esk/testing.hpp), and the fulfilment process manager driving a placed order to
// shipped. Each spec also checks that the events and commands it sees come back unchanged from
// their JSON. Run them with `ctest --test-dir build`.
#include <esk/testing.hpp>

#include "domain/orders.hpp"
#include "process/fulfilment.hpp"

using esk::testing::aggregate_spec;
using esk::testing::runtime_spec;

// On the aggregate alone: no actors, no store.
TEST(Order, IsPlacedWithItsCustomerAndAmount) {
  aggregate_spec<orders::Order> spec{"1"};
  spec.when(orders::PlaceOrder{"1", "ada", 4200});
  EXPECT_TRUE(spec.then(orders::OrderPlaced{"1", "ada", 4200}));
}

TEST(Order, CannotBePlacedTwice) {
  aggregate_spec<orders::Order> spec{"1"};
  spec.given(orders::OrderPlaced{"1", "ada", 4200}).when(orders::PlaceOrder{"1", "ada", 4200});
  EXPECT_TRUE(spec.then_rejected("already placed"));
}

TEST(Order, CostsSomething) {
  aggregate_spec<orders::Order> spec{"1"};
  spec.when(orders::PlaceOrder{"1", "ada", 0});
  EXPECT_TRUE(spec.then_rejected("costs something"));
}

// On a runtime with the in-memory store: the process manager charges a placed order and ships
// it once paid.
TEST(Fulfilment, ChargesAndShipsAPlacedOrder) {
  runtime_spec app{[](esk::runtime& rt) {
    orders::register_orders(rt);
    rt.add_process_manager(orders::fulfilment());
  }};
  app.when(orders::PlaceOrder{"1", "ada", 4200});
  ASSERT_TRUE(app.then(orders::OrderPlaced{"1", "ada", 4200}));
  // Each sync lets the process act on what the previous step recorded: placed -> charged ->
  // shipped.
  for (int step = 0; step < 3; ++step) ASSERT_TRUE(app.app().sync_projections());
  auto payment = app.app().state<orders::Payment>("1");
  ASSERT_TRUE(payment) << payment.error_value();
  EXPECT_EQ(payment->charged_cents, 4200);
  auto shipment = app.app().state<orders::Shipment>("1");
  ASSERT_TRUE(shipment) << shipment.error_value();
  EXPECT_EQ(shipment->shipped, 1);
}
