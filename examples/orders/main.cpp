// The orders example on the standard command line (esk/app_cli.hpp): orders, payments and
// shipments as three aggregates, a process manager that charges placed orders and ships paid
// ones, and a SQLite read model of order summaries in <app>.read.db. The app's name comes from
// the build (ESK_APP_NAME: orders_example here, the project's name in an app that
// `event-sourcing-kit init --template orders` wrote).
//
//   <app> [--db FILE]                 the demo below (default store: <app>.db)
//   <app> projections                 the read model's and the process's status
//   <app> rebuild order_summaries     rebuilds the read model in a shadow file
//   <app> send '<json>' | state Order 1 | events | serve | help
#include <esk/app_cli.hpp>
#include <esk/esk.hpp>
#include <string>

#include "shop.hpp"

namespace {

// Places two orders, waits for the process and the read model, and prints the summaries.
int run_demo(esk::runtime& rt, const std::string& read_model_path, std::ostream& out) {
  for (const auto& order :
       {orders::PlaceOrder{"1", "ada", 4200}, orders::PlaceOrder{"2", "grace", 990}}) {
    auto placed = rt.execute(order);
    out << "PlaceOrder " << order.order_id << ": "
        << (placed ? std::string("placed") : placed.error_value().message) << '\n';
  }
  // Each round lets the process act on the events the round before produced (placed ->
  // charged -> shipped) and the read model apply them.
  for (int round = 0; round < 3; ++round) {
    if (auto synced = rt.sync_projections(); !synced) {
      out << "projections: " << synced.error_value() << '\n';
      return esk::cli::exit_code_for(synced.kind());
    }
  }
  auto rows = esk::query_sqlite(read_model_path,
                                "SELECT order_id, customer, amount_cents, status "
                                "FROM order_summaries ORDER BY order_id");
  if (!rows) {
    out << "order_summaries: " << rows.error_value() << '\n';
    return esk::cli::exit_code_for(rows.kind());
  }
  out << "order_summaries:\n";
  for (const auto& row : *rows)
    out << "  " << std::get<std::string>(row[0]) << ' ' << std::get<std::string>(row[1]) << ' '
        << std::get<std::int64_t>(row[2]) << " cents " << std::get<std::string>(row[3]) << '\n';
  return esk::cli::exit_success;
}

}  // namespace

#ifndef ESK_APP_NAME
#error "build with ESK_APP_NAME defined to the app's name (CMakeLists.txt does)"
#endif

int main(int argc, char** argv) {
  // The read model's file, in the current folder beside the default store.
  static const std::string read_model_path = std::string(ESK_APP_NAME) + ".read.db";
  esk::app_definition app;
  app.name = ESK_APP_NAME;
  app.register_types = [](esk::runtime& rt) { orders::register_shop(rt, read_model_path); };
  app.demo = [](esk::runtime& rt, std::ostream& out) { return run_demo(rt, read_model_path, out); };
  return esk::run_app_cli(app, argc, argv);
}
