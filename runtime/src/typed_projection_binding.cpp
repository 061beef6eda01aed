#include "typed_projection_binding.hpp"

#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

#include "esk/json_codec.hpp"
#include "esk/type_name.hpp"

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
                         std::function<void()> reset)
      : name_(std::move(name)), handlers_(std::move(handlers)), reset_(std::move(reset)) {}

  std::string name() const override { return name_; }

  void reset() override {
    if (!reset_) return projection::reset();  // refuses, naming the projection
    reset_();
  }

  void apply(const recorded_event& event) override {
    apply_with_context(event, event_context{event});
  }

  void apply_with_context(const recorded_event& event, const event_context& context) override {
    auto found = handlers_.find(event.type);
    if (found == handlers_.end()) return;  // no handler: not even decoded
    auto parsed = parse_json(event.payload, event.type);
    if (!parsed) throw std::runtime_error(parsed.error_value().message);
    auto decoded = found->second.decode(*parsed);
    if (!decoded) throw std::runtime_error(decoded.error_value().message);
    found->second.handle(decoded->get(), context);
  }

 private:
  const std::string name_;
  const std::unordered_map<std::string, bound_handler> handlers_;  // by event type name
  const std::function<void()> reset_;
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
                                                  handlers.reset_handler());
}

}  // namespace esk
