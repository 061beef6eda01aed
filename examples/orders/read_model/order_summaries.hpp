// A SQLite read model: one row per order with its status, kept in a file of its own with its
// checkpoint (exactly-once effect; `myapp rebuild order_summaries` rebuilds it in a shadow file).
#pragma once

#include <esk/esk.hpp>
#include <string>

#include "domain/orders.hpp"

namespace orders {

// The projection "order_summaries": order_summaries(order_id, customer, amount_cents, status),
// status "placed", then "paid", then "shipped".
inline esk::typed_projection order_summaries() {
  esk::typed_projection summaries("order_summaries");
  summaries.on<OrderPlaced>([](const OrderPlaced& placed, const esk::event_context& at) {
    at.sql().execute(
        "INSERT INTO order_summaries (order_id, customer, amount_cents, status) "
        "VALUES (?1, ?2, ?3, 'placed')",
        {placed.order_id, placed.customer, placed.amount_cents});
  });
  summaries.on<PaymentCharged>([](const PaymentCharged& charged, const esk::event_context& at) {
    at.sql().execute("UPDATE order_summaries SET status = 'paid' WHERE order_id = ?1",
                     {charged.order_id});
  });
  summaries.on<OrderShipped>([](const OrderShipped& shipped, const esk::event_context& at) {
    at.sql().execute("UPDATE order_summaries SET status = 'shipped' WHERE order_id = ?1",
                     {shipped.order_id});
  });
  return summaries;
}

// Keeps order_summaries in the SQLite file at `path`.
inline esk::projection_options order_summaries_options(const std::string& path) {
  esk::projection_options options;
  options.checkpoints = esk::checkpoint_location::in_sqlite(
      path,
      "CREATE TABLE IF NOT EXISTS order_summaries (order_id TEXT PRIMARY KEY, customer TEXT, "
      "amount_cents INTEGER, status TEXT)");
  return options;
}

}  // namespace orders
