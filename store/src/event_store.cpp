#include "esk/store/event_store.hpp"

namespace esk {

result<std::vector<recorded_event>> event_store::append(const append_request& request) {
  auto results = append_batch({request});
  return std::move(results.front());
}

}  // namespace esk
