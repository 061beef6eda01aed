#include "upcasting_projection.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace esk {
namespace {

class upcasting final : public projection {
 public:
  upcasting(std::shared_ptr<projection> inner, const event_registry& events)
      : inner_(std::move(inner)), events_(events) {}

  std::string name() const override { return inner_->name(); }

  void reset() override { inner_->reset(); }

  void apply(const recorded_event& event) override {
    apply_with_context(event, event_context{event});
  }

  void apply_with_context(const recorded_event& event, const event_context& context) override {
    if (!events_.needs_upcast(event.type)) return inner_->apply_with_context(event, context);
    auto current = events_.upcast(event);
    if (!current) {
      if (current.kind() == error_kind::unknown_event)
        return inner_->apply_with_context(event, context);
      throw std::runtime_error(current.error_value().message);
    }
    for (const auto& part : *current)
      inner_->apply_with_context(part, event_context{part, context});
  }

 private:
  const std::shared_ptr<projection> inner_;
  const event_registry& events_;
};

}  // namespace

std::shared_ptr<projection> upcasting_projection(std::shared_ptr<projection> inner,
                                                 const event_registry& events) {
  return std::make_shared<upcasting>(std::move(inner), events);
}

}  // namespace esk
