// GET /aggregates/{type}/{id}, /streams, /streams/{stream} and /events: blocking reads, run on the
// reader threads; the pages are bounded (max_page_events), never the whole log.
#include <boost/asio/post.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <sstream>

#include "error_answers.hpp"
#include "routes.hpp"

namespace esk::http_detail {
namespace {

// The most events /events?type= looks through for one page, so a rare type cannot keep a
// reader thread scanning the whole log: the page then ends early with a Link to go on.
constexpr std::size_t max_scanned_per_page = 10000;

// Runs `read` (which returns a response) on a reader thread and answers with what it returns.
template <class Read>
void answer_from_reader(const std::shared_ptr<connection>& from, Read read) {
  net::post(from->server().readers(),
            [from, read = std::move(read)]() mutable { from->answer(read()); });
}

// JSON lines of `events`, with a Link to the next page when `next` is set.
response event_lines(const std::vector<recorded_event>& events, std::optional<std::string> next,
                     unsigned version, bool keep_alive) {
  std::ostringstream body;
  for (const auto& event : events) body << event << '\n';
  auto answer =
      body_response(http::status::ok, body.str(), "application/x-ndjson", version, keep_alive);
  if (next) answer.set(http::field::link, "<" + *next + ">; rel=\"next\"");
  return answer;
}

// The page size a request asks for, or the error answer.
std::optional<std::size_t> page_limit(const request_target& target, std::size_t largest) {
  auto limit = target.number("limit", largest);
  if (!limit || *limit == 0 || *limit > largest) return std::nullopt;
  return static_cast<std::size_t>(*limit);
}

response bad_query(const request& req, const std::string& why) {
  return error_response(http::status::bad_request, "bad_request", why, req.version(),
                        req.keep_alive());
}

std::string percent_encoded(const std::string& text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += '%';
      encoded += hex[c >> 4];
      encoded += hex[c & 15];
    }
  }
  return encoded;
}

}  // namespace

void answer_aggregate(const std::shared_ptr<connection>& from, const request& req,
                      const request_target& target) {
  const std::string type = target.segments[1];
  const std::string id = target.segments[2];
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  answer_from_reader(from, [from, type, id, version, keep_alive]() -> response {
    auto found = from->server().rt.versioned_state_json(type, id);
    if (!found) return error_response(found.error_value(), version, keep_alive);
    if (!found->exists())
      return error_response(http::status::not_found, "not_found",
                            type + " " + id + " has no events", version, keep_alive);
    std::string body = "{\"type\":" + boost::json::serialize(boost::json::string(type)) +
                       ",\"id\":" + boost::json::serialize(boost::json::string(id)) +
                       ",\"version\":" + std::to_string(found->version) +
                       ",\"state\":" + found->state + "}\n";
    auto answer =
        body_response(http::status::ok, std::move(body), "application/json", version, keep_alive);
    answer.set(http::field::etag, "\"" + std::to_string(found->version) + "\"");
    return answer;
  });
}

void answer_stream(const std::shared_ptr<connection>& from, const request& req,
                   const request_target& target) {
  const std::string stream = target.segments[1];
  const auto from_version = target.number("from", 1);
  const auto limit = page_limit(target, from->server().options.max_page_events);
  if (!from_version || !limit)
    return from->answer(bad_query(req, "from must be a version and limit a number from 1 to " +
                                           std::to_string(from->server().options.max_page_events)));
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  answer_from_reader(
      from,
      [from, stream, first = *from_version, limit = *limit, version, keep_alive]() -> response {
        auto& store = from->server().rt.store();
        auto page = store.read_stream(stream, first == 0 ? 1 : first, limit);
        if (!page) return error_response(page.error_value(), version, keep_alive);
        if (page->empty() && first <= 1)
          return error_response(http::status::not_found, "not_found",
                                "stream " + stream + " has no events", version, keep_alive);
        std::optional<std::string> next;
        if (page->size() == limit)
          next = "/streams/" + percent_encoded(stream) +
                 "?from=" + std::to_string(page->back().version + 1) +
                 "&limit=" + std::to_string(limit);
        // Shown in the current schema (esk/upcasting.hpp); an event this build cannot read
        // answers unknown_event, never a misread.
        auto current = from->server().rt.events().upcast(*page);
        if (!current) return error_response(current.error_value(), version, keep_alive);
        return event_lines(*current, next, version, keep_alive);
      });
}

void answer_stream_list(const std::shared_ptr<connection>& from, const request& req,
                        const request_target& target) {
  const auto limit = page_limit(target, from->server().options.max_page_events);
  if (!limit)
    return from->answer(bad_query(req, "limit must be a number from 1 to " +
                                           std::to_string(from->server().options.max_page_events)));
  const auto first = target.query.count("from") ? target.query.at("from") : std::string();
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  answer_from_reader(from, [from, first, limit = *limit, version, keep_alive]() -> response {
    // One stream more than the page: its name is where the next page starts.
    auto page = from->server().rt.store().list_streams(first, limit + 1);
    if (!page) return error_response(page.error_value(), version, keep_alive);
    std::optional<std::string> next;
    if (page->size() > limit) {
      next = "/streams?from=" + percent_encoded(page->back().stream) +
             "&limit=" + std::to_string(limit);
      page->pop_back();
    }
    std::string body;
    for (const auto& stream : *page) {
      body += boost::json::serialize(boost::json::object{{"stream", stream.stream},
                                                         {"version", stream.version},
                                                         {"last_position", stream.last_position}});
      body += '\n';
    }
    auto answer = body_response(http::status::ok, std::move(body), "application/x-ndjson", version,
                                keep_alive);
    if (next) answer.set(http::field::link, "<" + *next + ">; rel=\"next\"");
    return answer;
  });
}

void answer_events(const std::shared_ptr<connection>& from, const request& req,
                   const request_target& target) {
  const auto from_position = target.number("from", 1);
  const auto limit = page_limit(target, from->server().options.max_page_events);
  if (!from_position || !limit)
    return from->answer(bad_query(req, "from must be a position and limit a number from 1 to " +
                                           std::to_string(from->server().options.max_page_events)));
  auto type_filter = target.query.count("type")
                         ? std::optional<std::string>(target.query.at("type"))
                         : std::nullopt;
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  answer_from_reader(from,
                     [from, first = *from_position, limit = *limit, type_filter, version,
                      keep_alive]() -> response {
                       auto& store = from->server().rt.store();
                       const event_registry& events = from->server().rt.events();
                       std::vector<recorded_event> matched;
                       std::uint64_t next_position = first == 0 ? 1 : first;
                       std::size_t scanned = 0;
                       bool at_end = false;
                       while (matched.size() < limit && scanned < max_scanned_per_page) {
                         const std::size_t want = type_filter ? std::min(limit, std::size_t{1000})
                                                              : limit - matched.size();
                         auto page = store.read_all(next_position, want);
                         if (!page) return error_response(page.error_value(), version, keep_alive);
                         scanned += page->size();
                         for (const auto& stored : *page) {
                           // In the current schema (esk/upcasting.hpp), filtered by current
                           // type; an event this build cannot read answers unknown_event.
                           auto current = events.upcast(stored);
                           if (!current)
                             return error_response(current.error_value(), version, keep_alive);
                           next_position = stored.position + 1;
                           for (auto& event : *current)
                             if (!type_filter || event.type == *type_filter)
                               matched.push_back(std::move(event));
                           if (matched.size() >= limit) break;
                         }
                         if (page->size() < want) {
                           at_end = matched.size() < limit;
                           break;
                         }
                       }
                       std::optional<std::string> next;
                       if (!at_end) {
                         next = "/events?from=" + std::to_string(next_position) +
                                "&limit=" + std::to_string(limit);
                         if (type_filter) *next += "&type=" + percent_encoded(*type_filter);
                       }
                       return event_lines(matched, next, version, keep_alive);
                     });
}

void answer_live(const std::shared_ptr<connection>& from, const request& req,
                 const request_target& target) {
  auto first = target.number("from", 1);
  const auto last_event_id = req["Last-Event-ID"];
  if (!last_event_id.empty()) {
    auto last_seen = parse_decimal(std::string_view(last_event_id.data(), last_event_id.size()));
    if (!last_seen)
      return from->answer(bad_query(req, "Last-Event-ID must be an event's position"));
    first = *last_seen + 1;
  }
  if (!first) return from->answer(bad_query(req, "from must be a position"));
  from->start_live_feed(*first);
}

}  // namespace esk::http_detail
