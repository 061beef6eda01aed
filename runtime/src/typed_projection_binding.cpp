#include "typed_projection_binding.hpp"

#include <boost/json/parser.hpp>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "esk/json_codec.hpp"
#include "esk/type_name.hpp"
#include "payload_parsing.hpp"

namespace esk {
namespace {

// A handler with the decoder of its event type.
struct bound_handler {
  erased_decoder decode;
  typed_projection::erased_handler handle;
};

class bound_typed_projection final : public projection {
 public:
  bound_typed_projection(std::string name, std::unordered_map<std::string, bound_handler> handlers,
                         std::function<void()> reset, const event_registry& events)
      : name_(std::move(name)),
        handlers_(std::move(handlers)),
        reset_(std::move(reset)),
        events_(events) {}

  std::string name() const override { return name_; }

  void reset() override {
    if (!reset_) return projection::reset();  // refuses, naming the projection
    reset_();
  }

  void apply(const recorded_event& event) override {
    apply_with_context(event, event_context{event});
  }

  void apply_with_context(const recorded_event& event, const event_context& context) override {
    if (!events_.needs_upcast(event.type)) return apply_current(event, context);
    auto current = events_.upcast(event);
    if (!current) {
      // An event this build cannot read and this projection has no handler for is skipped,
      // as every event without a handler is; one it handles stops it (never a misread).
      if (current.kind() == error_kind::unknown_event &&
          !handlers_.count(std::string(parse_stored_type(event.type).name)))
        return;
      throw std::runtime_error(current.error_value().message);
    }
    for (const auto& part : *current) apply_current(part, event_context{part, context});
  }

 private:
  // Applies `event`, of a registered type at its current schema version.
  void apply_current(const recorded_event& event, const event_context& context) {
    auto found = handlers_.find(event.type);
    if (found == handlers_.end()) return;  // no handler: not even decoded
    // Parsed by a parser kept from one event to the next (payload_parsing.hpp).
    const auto failed =
        detail::parse_payload(parser_, event.payload, [&](const boost::json::value& parsed) {
          auto decoded = found->second.decode(parsed);
          if (!decoded) throw std::runtime_error(decoded.error_value().message);
          found->second.handle(decoded->get(), context);
        });
    if (failed)
      throw std::runtime_error(event.type + ": not valid JSON (" + failed.message() + ")");
  }

  const std::string name_;
  const std::unordered_map<std::string, bound_handler> handlers_;  // by event type name
  const std::function<void()> reset_;
  const event_registry& events_;  // the runtime's, which outlives its projections
  boost::json::parser parser_;    // apply is never called concurrently with itself
};

}  // namespace

std::shared_ptr<projection> bind_typed_projection(const typed_projection& handlers,
                                                  const event_registry& events) {
  std::unordered_map<std::string, bound_handler> by_name;
  for (const auto& [type, handle] : handlers.handlers()) {
    const auto* entry = events.find(type);
    if (!entry)
      throw std::logic_error("projection '" + handlers.name() + "' handles event C++ type " +
                             readable_type_name(type) +
                             ", which no aggregate registers (register the aggregates first)");
    by_name.emplace(entry->name, bound_handler{entry->decode, handle});
  }
  return std::make_shared<bound_typed_projection>(handlers.name(), std::move(by_name),
                                                  handlers.reset_handler(), events);
}

}  // namespace esk
