// The orders domain: an Order is placed, its Payment charged, its Shipment sent. Each is an
// aggregate of its own; the fulfilment process manager (process/fulfilment.hpp) links them.
#pragma once

#include <esk/esk.hpp>
#include <string>

namespace orders {

// Commands.
struct PlaceOrder {
  std::string order_id;
  std::string customer;
  std::int64_t amount_cents = 0;
};
BOOST_DESCRIBE_STRUCT(PlaceOrder, (), (order_id, customer, amount_cents))
struct ChargePayment {
  std::string order_id;
  std::int64_t amount_cents = 0;
};
BOOST_DESCRIBE_STRUCT(ChargePayment, (), (order_id, amount_cents))
struct ShipOrder {
  std::string order_id;
};
BOOST_DESCRIBE_STRUCT(ShipOrder, (), (order_id))

// Events.
struct OrderPlaced {
  std::string order_id;
  std::string customer;
  std::int64_t amount_cents = 0;
};
BOOST_DESCRIBE_STRUCT(OrderPlaced, (), (order_id, customer, amount_cents))
struct PaymentCharged {
  std::string order_id;
  std::int64_t amount_cents = 0;
};
BOOST_DESCRIBE_STRUCT(PaymentCharged, (), (order_id, amount_cents))
struct OrderShipped {
  std::string order_id;
};
BOOST_DESCRIBE_STRUCT(OrderShipped, (), (order_id))

struct Order {
  bool placed = false;
  void apply(const OrderPlaced&) { placed = true; }
  esk::decision handle(const PlaceOrder& command) const {
    if (placed) return esk::reject("order " + command.order_id + " is already placed");
    if (command.amount_cents <= 0) return esk::reject("an order costs something");
    return esk::emit(OrderPlaced{command.order_id, command.customer, command.amount_cents});
  }
};
BOOST_DESCRIBE_STRUCT(Order, (), (placed))

// Charges on every ChargePayment, as a card gateway would: only the command IDs the
// fulfilment process derives from its events keep a replay from charging twice.
struct Payment {
  std::int64_t charged_cents = 0;
  void apply(const PaymentCharged& event) { charged_cents += event.amount_cents; }
  esk::decision handle(const ChargePayment& command) const {
    return esk::emit(PaymentCharged{command.order_id, command.amount_cents});
  }
};
BOOST_DESCRIBE_STRUCT(Payment, (), (charged_cents))

struct Shipment {
  int shipped = 0;
  void apply(const OrderShipped&) { ++shipped; }
  esk::decision handle(const ShipOrder& command) const {
    return esk::emit(OrderShipped{command.order_id});
  }
};
BOOST_DESCRIBE_STRUCT(Shipment, (), (shipped))

// Registers Order, Payment and Shipment (streams Order-<id>, Payment-<id>, Shipment-<id>, all
// keyed by the order ID) on `rt`.
inline void register_orders(esk::runtime& rt) {
  rt.aggregate<Order>("Order")
      .event<OrderPlaced>("OrderPlaced")
      .command<PlaceOrder>("PlaceOrder", &PlaceOrder::order_id);
  rt.aggregate<Payment>("Payment")
      .event<PaymentCharged>("PaymentCharged")
      .command<ChargePayment>("ChargePayment", &ChargePayment::order_id);
  rt.aggregate<Shipment>("Shipment")
      .event<OrderShipped>("OrderShipped")
      .command<ShipOrder>("ShipOrder", &ShipOrder::order_id);
}

}  // namespace orders
