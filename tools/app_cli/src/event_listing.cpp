#include "esk/cli/event_listing.hpp"

#include <algorithm>
#include <vector>

namespace esk::cli {
namespace {

// Reads the page after `last` (nullptr: the first page).
using page_reader = std::function<result<std::vector<recorded_event>>(const recorded_event* last)>;

// Reads the whole log from filter.from_position by position, or, for a stream filter, just
// that stream by version (cheaper than scanning the log for it).
page_reader page_reader_for(event_store& store, const event_filter& filter, std::size_t page_size) {
  if (filter.stream.empty()) {
    return [&store, &filter, page_size](const recorded_event* last) {
      return store.read_all(last ? last->position + 1 : filter.from_position, page_size);
    };
  }
  return [&store, &filter, page_size](const recorded_event* last) {
    return store.read_stream(filter.stream, last ? last->version + 1 : 1, page_size);
  };
}

bool matches(const event_filter& filter, const recorded_event& event) {
  return event.position >= filter.from_position &&
         (filter.type.empty() || event.type == filter.type);
}

}  // namespace

option_spec event_filter_options() { return {{"stream", "type", "from", "limit"}, {}}; }

result<event_filter> event_filter_from(const arguments& args) {
  event_filter filter;
  filter.stream = args.value("stream").value_or("");
  filter.type = args.value("type").value_or("");
  if (auto from = args.value("from")) {
    auto position = parse_count("--from", *from);
    if (!position) return position.error_value();
    filter.from_position = std::max<std::uint64_t>(*position, 1);
  }
  if (auto limit = args.value("limit")) {
    auto count = parse_count("--limit", *limit);
    if (!count) return count.error_value();
    filter.limit = *count;
  }
  return filter;
}

result<std::uint64_t> for_each_event(event_store& store, const event_filter& filter,
                                     const std::function<void(const recorded_event&)>& visit,
                                     const page_observer& on_page, std::size_t page_size,
                                     const event_transform& transform) {
  page_size = std::max<std::size_t>(page_size, 1);
  page_reader read_page = page_reader_for(store, filter, page_size);
  std::uint64_t visited = 0;
  std::vector<recorded_event> page;
  while (visited < filter.limit) {
    auto next = read_page(page.empty() ? nullptr : &page.back());
    if (!next) return next.error_value();
    page = std::move(*next);
    if (page.empty()) break;
    for (const auto& stored : page) {
      if (visited == filter.limit) break;
      if (!transform) {
        if (!matches(filter, stored)) continue;
        visit(stored);
        ++visited;
        continue;
      }
      auto seen = transform(stored);
      if (!seen) return seen.error_value();
      for (const auto& event : *seen) {
        if (visited == filter.limit) break;
        if (!matches(filter, event)) continue;
        visit(event);
        ++visited;
      }
    }
    if (on_page) on_page(page.back().position);
    if (page.size() < page_size) break;  // the last page: no need to ask for an empty one
  }
  return visited;
}

result<std::uint64_t> write_events(event_store& store, const event_filter& filter,
                                   std::ostream& out, const page_observer& on_page,
                                   std::size_t page_size, const event_transform& transform) {
  return for_each_event(
      store, filter, [&out](const recorded_event& event) { out << event << '\n'; }, on_page,
      page_size, transform);
}

}  // namespace esk::cli
