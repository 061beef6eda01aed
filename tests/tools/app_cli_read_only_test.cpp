// The read-only commands of the standard application command line (`state`, `events`) on an
// app whose process manager and read model are behind the log: they answer from the store and
// start neither, so no handler runs, no read model or checkpoint is written and no command is
// sent; `send` still starts them. The app is the orders example's domain and read model with a
// fulfilment process manager that counts the events it handles.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "../store/temporary_directory.hpp"
#include "domain/orders.hpp"
#include "esk/app_cli.hpp"
#include "esk/store/open_store.hpp"
#include "read_model/order_summaries.hpp"
#include "tools_test_support.hpp"

namespace esk {
namespace {

using testing::cli_outcome;

std::string place_order(const std::string& id) {
  return R"({"type": "PlaceOrder", "payload": {"order_id": ")" + id +
         R"(", "customer": "ada", "amount_cents": 4200}})";
}

// The orders example's fulfilment (a placed order is charged), counting each event it handles.
process_manager counting_fulfilment(std::shared_ptr<std::atomic<int>> handled) {
  process_manager fulfilment("fulfilment");
  fulfilment.on<orders::OrderPlaced>(
      [handled](const orders::OrderPlaced& placed, const event_context&, outgoing_commands& out) {
        ++*handled;
        out.send(orders::ChargePayment{placed.order_id, placed.amount_cents});
      });
  return fulfilment;
}

class AppCliReadOnly : public ::testing::Test {
 protected:
  AppCliReadOnly() {
    shop.name = "shop";
    shop.register_types = [handled = handled, model = model_path](runtime& rt) {
      orders::register_orders(rt);
      rt.add_process_manager(counting_fulfilment(handled));
      rt.add_projection(orders::order_summaries(), orders::order_summaries_options(model));
    };
    // The same aggregates without the process and the read model: writes the log they are
    // behind.
    writer.name = "writer";
    writer.register_types = [](runtime& rt) { orders::register_orders(rt); };
  }

  // Places order `id` with the writer, so the shop's process and read model fall behind.
  void place_behind_their_back(const std::string& id) {
    auto placed = testing::run_app_cli_on(writer, db, {"send", place_order(id)});
    ASSERT_EQ(placed.exit_code, 0) << placed.err;
  }

  cli_outcome run(std::vector<std::string> args) {
    return testing::run_app_cli_on(shop, db, std::move(args));
  }

  // The store's last position and the fulfilment checkpoint, read directly.
  std::pair<std::uint64_t, std::uint64_t> log_end_and_checkpoint() {
    auto store = open_store(db, store_access{false, true});
    EXPECT_TRUE(store) << store.error_value();
    if (!store) return {};
    auto last = (*store)->last_position();
    auto checkpoint = (*store)->read_checkpoint("fulfilment");
    EXPECT_TRUE(last) << last.error_value();
    EXPECT_TRUE(checkpoint) << checkpoint.error_value();
    return {last ? *last : 0, checkpoint ? *checkpoint : 0};
  }

  testing::temporary_directory directory;
  std::string db = directory.file("shop.db");
  std::string model_path = directory.file("shop.read.db");
  std::shared_ptr<std::atomic<int>> handled = std::make_shared<std::atomic<int>>(0);
  app_definition shop;
  app_definition writer;
};

TEST_F(AppCliReadOnly, StatePrintsTheStateWithoutStartingTheProcessOrTheReadModel) {
  place_behind_their_back("1");
  const auto before = log_end_and_checkpoint();

  auto state = run({"state", "Order", "1"});

  EXPECT_EQ(state.exit_code, 0) << state.err;
  EXPECT_EQ(state.out, "{\"placed\":true}\n");
  EXPECT_EQ(handled->load(), 0) << "the process manager handled an event on a read";
  EXPECT_FALSE(std::filesystem::exists(model_path)) << "the read model was written on a read";
  EXPECT_EQ(log_end_and_checkpoint(), before);
}

TEST_F(AppCliReadOnly, EventsListsTheLogWithoutStartingTheProcessOrTheReadModel) {
  place_behind_their_back("1");
  place_behind_their_back("2");
  const auto before = log_end_and_checkpoint();

  auto listed = run({"events"});

  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(testing::line_count(listed.out), 2u) << listed.out;
  EXPECT_EQ(handled->load(), 0) << "the process manager handled an event on a read";
  EXPECT_FALSE(std::filesystem::exists(model_path)) << "the read model was written on a read";
  EXPECT_EQ(log_end_and_checkpoint(), before);
}

TEST_F(AppCliReadOnly, SendStillStartsTheProcessAndTheReadModel) {
  place_behind_their_back("1");

  auto sent = run({"send", place_order("2")});

  EXPECT_EQ(sent.exit_code, 0) << sent.err;
  // Both catch up from the log as they start, before the run ends: at least order 1.
  EXPECT_GE(handled->load(), 1);
  EXPECT_TRUE(std::filesystem::exists(model_path));
}

}  // namespace
}  // namespace esk
