// Process managers: handlers that react to committed events by sending commands. The commands'
// IDs come from the causing event, so a replay sends nothing twice; the conversation's IDs flow
// into the events the commands record.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "esk/esk.hpp"
#include "runtime_test_support.hpp"

namespace shipping_spec {

struct PlaceOrder {
  std::string order_id;
};
BOOST_DESCRIBE_STRUCT(PlaceOrder, (), (order_id))
struct OrderPlaced {
  std::string order_id;
};
BOOST_DESCRIBE_STRUCT(OrderPlaced, (), (order_id))
struct ShipOrder {
  std::string order_id;
};
BOOST_DESCRIBE_STRUCT(ShipOrder, (), (order_id))
struct OrderShipped {
  std::string order_id;
};
BOOST_DESCRIBE_STRUCT(OrderShipped, (), (order_id))

struct Order {
  bool placed = false;
  void apply(const OrderPlaced&) { placed = true; }
  esk::decision handle(const PlaceOrder& command) const {
    return esk::emit(OrderPlaced{command.order_id});
  }
};
BOOST_DESCRIBE_STRUCT(Order, (), (placed))

// Ships on every ShipOrder it is given, even twice: only the command IDs keep it from
// shipping an order twice.
struct Shipment {
  int shipped = 0;
  void apply(const OrderShipped&) { ++shipped; }
  esk::decision handle(const ShipOrder& command) const {
    return esk::emit(OrderShipped{command.order_id});
  }
};
BOOST_DESCRIBE_STRUCT(Shipment, (), (shipped))

void register_orders(esk::runtime& rt) {
  rt.aggregate<Order>("Order")
      .event<OrderPlaced>("OrderPlaced")
      .command<PlaceOrder>("PlaceOrder", &PlaceOrder::order_id);
  rt.aggregate<Shipment>("Shipment")
      .event<OrderShipped>("OrderShipped")
      .command<ShipOrder>("ShipOrder", &ShipOrder::order_id);
}

// Ships each placed order; counts the events it handled.
esk::process_manager shipping(std::shared_ptr<std::atomic<int>> handled) {
  esk::process_manager manager("shipping");
  manager.on<OrderPlaced>(
      [handled](const OrderPlaced& placed, const esk::event_context&, esk::outgoing_commands& out) {
        ++*handled;
        out.send(ShipOrder{placed.order_id});
      });
  return manager;
}

}  // namespace shipping_spec

namespace esk {
namespace {

using testing::sqlite_backend;
using testing::succeeded;

std::size_t stream_length(event_store& store, const std::string& stream) {
  auto events = store.read_stream(stream);
  return events ? events->size() : 0;
}

TEST(ProcessManager, ReplayedFromTheStartTwiceSendsEachCommandOnce) {
  sqlite_backend backend;
  auto handled = std::make_shared<std::atomic<int>>(0);
  for (int run = 0; run < 3; ++run) {
    if (run > 0) {  // forget where it was: the next run replays every OrderPlaced
      ASSERT_TRUE(succeeded(backend.open()->save_checkpoint("shipping", 0)));
    }
    runtime rt{backend.open()};
    shipping_spec::register_orders(rt);
    rt.add_process_manager(shipping_spec::shipping(handled));
    if (run == 0) {
      for (const char* id : {"1", "2", "3"})
        ASSERT_TRUE(succeeded(rt.execute(shipping_spec::PlaceOrder{id})));
    }
    ASSERT_TRUE(succeeded(rt.sync_projections()));
    EXPECT_EQ(handled->load(), 3 * (run + 1));  // it did see every order again
  }

  auto store = backend.open();
  for (const char* id : {"1", "2", "3"})
    EXPECT_EQ(stream_length(*store, std::string("Shipment-") + id), 1u) << "order " << id;
}

TEST(ProcessManager, TheCommandCarriesTheConversationIntoTheEventsItRecords) {
  runtime rt{make_memory_store()};
  shipping_spec::register_orders(rt);
  rt.add_process_manager(shipping_spec::shipping(std::make_shared<std::atomic<int>>(0)));
  command_options traced;
  traced.correlation_id = "conversation-7";

  auto placed = rt.execute(shipping_spec::PlaceOrder{"1"}, traced);
  ASSERT_TRUE(succeeded(placed));
  ASSERT_TRUE(succeeded(rt.sync_projections()));

  auto shipped = rt.store().read_stream("Shipment-1");
  ASSERT_TRUE(succeeded(shipped));
  ASSERT_EQ(shipped->size(), 1u);
  const auto& cause = placed->front().metadata;
  const auto& effect = shipped->front().metadata;
  EXPECT_EQ(effect.correlation_id, "conversation-7");
  EXPECT_EQ(effect.causation_id, cause.event_id);
  EXPECT_EQ(effect.command_id, cause.event_id + "/0");
}

TEST(ProcessManager, KeepsItsCheckpointInTheEventStoreByDefault) {
  sqlite_backend backend;
  auto handled = std::make_shared<std::atomic<int>>(0);
  {
    runtime rt{backend.open()};
    shipping_spec::register_orders(rt);
    rt.add_process_manager(shipping_spec::shipping(handled));
    ASSERT_TRUE(succeeded(rt.execute(shipping_spec::PlaceOrder{"1"})));
    ASSERT_TRUE(succeeded(rt.sync_projections()));
  }
  runtime rt{backend.open()};
  shipping_spec::register_orders(rt);
  rt.add_process_manager(shipping_spec::shipping(handled));
  ASSERT_TRUE(succeeded(rt.sync_projections()));

  EXPECT_EQ(handled->load(), 1);  // the restart went on after its checkpoint
  auto checkpoint = rt.store().read_checkpoint("shipping");
  ASSERT_TRUE(succeeded(checkpoint));
  EXPECT_EQ(*checkpoint, 2u);  // OrderPlaced at 1, OrderShipped at 2
}

}  // namespace
}  // namespace esk
