// Process managers (on the orders example's domain): handlers that react to committed events by
// sending commands. The commands' IDs come from the causing event, so a replay sends nothing twice;
// the conversation's IDs flow into the events the commands record.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "domain/orders.hpp"
#include "runtime_test_support.hpp"

namespace {

// Charges each placed order (Payment charges on every ChargePayment: only the command IDs keep
// a replay from charging twice); counts the events it handled.
esk::process_manager charging(std::shared_ptr<std::atomic<int>> handled) {
  esk::process_manager manager("charging");
  manager.on<orders::OrderPlaced>([handled](const orders::OrderPlaced& placed,
                                            const esk::event_context&,
                                            esk::outgoing_commands& out) {
    ++*handled;
    out.send(orders::ChargePayment{placed.order_id, placed.amount_cents});
  });
  return manager;
}

orders::PlaceOrder place(const std::string& order_id) { return {order_id, "ada", 100}; }

}  // namespace

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
      ASSERT_TRUE(succeeded(backend.open()->save_checkpoint("charging", 0)));
    }
    runtime rt{backend.open()};
    orders::register_orders(rt);
    rt.add_process_manager(charging(handled));
    if (run == 0) {
      for (const char* id : {"1", "2", "3"}) ASSERT_TRUE(succeeded(rt.execute(place(id))));
    }
    ASSERT_TRUE(succeeded(rt.sync_projections()));
    EXPECT_EQ(handled->load(), 3 * (run + 1));  // it did see every order again
  }

  auto store = backend.open();
  for (const char* id : {"1", "2", "3"})
    EXPECT_EQ(stream_length(*store, std::string("Payment-") + id), 1u) << "order " << id;
}

TEST(ProcessManager, TheCommandCarriesTheConversationIntoTheEventsItRecords) {
  runtime rt{make_memory_store()};
  orders::register_orders(rt);
  rt.add_process_manager(charging(std::make_shared<std::atomic<int>>(0)));
  command_options traced;
  traced.correlation_id = "conversation-7";

  auto placed = rt.execute(place("1"), traced);
  ASSERT_TRUE(succeeded(placed));
  ASSERT_TRUE(succeeded(rt.sync_projections()));

  auto charged = rt.store().read_stream("Payment-1");
  ASSERT_TRUE(succeeded(charged));
  ASSERT_EQ(charged->size(), 1u);
  const auto& cause = placed->front().metadata;
  const auto& effect = charged->front().metadata;
  EXPECT_EQ(effect.correlation_id, "conversation-7");
  EXPECT_EQ(effect.causation_id, cause.event_id);
  EXPECT_EQ(effect.command_id, cause.event_id + "/0");
}

TEST(ProcessManager, KeepsItsCheckpointInTheEventStoreByDefault) {
  sqlite_backend backend;
  auto handled = std::make_shared<std::atomic<int>>(0);
  {
    runtime rt{backend.open()};
    orders::register_orders(rt);
    rt.add_process_manager(charging(handled));
    ASSERT_TRUE(succeeded(rt.execute(place("1"))));
    ASSERT_TRUE(succeeded(rt.sync_projections()));
  }
  runtime rt{backend.open()};
  orders::register_orders(rt);
  rt.add_process_manager(charging(handled));
  ASSERT_TRUE(succeeded(rt.sync_projections()));

  EXPECT_EQ(handled->load(), 1);  // the restart went on after its checkpoint
  auto checkpoint = rt.store().read_checkpoint("charging");
  ASSERT_TRUE(succeeded(checkpoint));
  EXPECT_EQ(*checkpoint, 2u);  // OrderPlaced at 1, PaymentCharged at 2
}

// runtime_options::start_projections = false: a runtime that only answers reads.
runtime_options not_starting_projections() {
  runtime_options options;
  options.start_projections = false;
  return options;
}

TEST(ProjectionsNotStarted, AProcessManagerBehindTheLogHandlesNothingAndIsNotListed) {
  sqlite_backend backend;
  {
    runtime writer{backend.open()};
    orders::register_orders(writer);
    ASSERT_TRUE(succeeded(writer.execute(place("1"))));
  }
  auto handled = std::make_shared<std::atomic<int>>(0);
  {
    runtime rt{backend.open(), not_starting_projections()};
    orders::register_orders(rt);
    rt.add_process_manager(charging(handled));

    EXPECT_TRUE(succeeded(rt.sync_projections()));  // nothing to wait for
    auto statuses = rt.projection_statuses();
    ASSERT_TRUE(succeeded(statuses));
    EXPECT_TRUE(statuses->empty());
    EXPECT_EQ(rt.restart_projection("charging").kind(), error_kind::invalid_argument);
    auto state = rt.state_json("Order", "1");  // reads are served
    ASSERT_TRUE(succeeded(state));
    EXPECT_EQ(*state, "{\"placed\":true}");
  }

  EXPECT_EQ(handled->load(), 0);
  auto store = backend.open();
  EXPECT_EQ(stream_length(*store, "Payment-1"), 0u);
  auto checkpoint = store->read_checkpoint("charging");
  ASSERT_TRUE(succeeded(checkpoint));
  EXPECT_EQ(*checkpoint, 0u);
}

TEST(ProjectionsNotStarted, AreCheckedAsWhenStarted) {
  runtime rt{make_memory_store(), not_starting_projections()};
  orders::register_orders(rt);
  rt.add_process_manager(charging(std::make_shared<std::atomic<int>>(0)));
  process_manager unregistered("unregistered");
  unregistered.on<std::string>([](const std::string&, const event_context&, outgoing_commands&) {});

  EXPECT_THROW(rt.add_process_manager(charging(std::make_shared<std::atomic<int>>(0))),
               std::logic_error);
  EXPECT_THROW(rt.add_projection(typed_projection("charging")), std::logic_error);
  EXPECT_THROW(rt.add_process_manager(unregistered), std::logic_error);
}

}  // namespace
}  // namespace esk
