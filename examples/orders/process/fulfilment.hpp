// The fulfilment process manager: a placed order is charged, a charged order is shipped.
#pragma once

#include <esk/esk.hpp>

#include "domain/orders.hpp"

namespace orders {

// "fulfilment": OrderPlaced -> ChargePayment, PaymentCharged -> ShipOrder. Add it with
// rt.add_process_manager(fulfilment()); its checkpoint is kept in the event store.
inline esk::process_manager fulfilment() {
  esk::process_manager process("fulfilment");
  process.on<OrderPlaced>(
      [](const OrderPlaced& placed, const esk::event_context&, esk::outgoing_commands& out) {
        out.send(ChargePayment{placed.order_id, placed.amount_cents});
      });
  process.on<PaymentCharged>(
      [](const PaymentCharged& charged, const esk::event_context&, esk::outgoing_commands& out) {
        out.send(ShipOrder{charged.order_id});
      });
  return process;
}

}  // namespace orders
