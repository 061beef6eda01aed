// The whole orders example on one runtime: the domain, the fulfilment process manager and the
// order_summaries read model.
#pragma once

#include <esk/esk.hpp>
#include <string>

#include "domain/orders.hpp"
#include "process/fulfilment.hpp"
#include "read_model/order_summaries.hpp"

namespace orders {

// Registers Order, Payment, Shipment, the "fulfilment" process manager and the
// "order_summaries" read model, kept in the SQLite file at `read_model_path`.
inline void register_shop(esk::runtime& rt, const std::string& read_model_path) {
  register_orders(rt);
  rt.add_process_manager(fulfilment());
  rt.add_projection(order_summaries(), order_summaries_options(read_model_path));
}

}  // namespace orders
