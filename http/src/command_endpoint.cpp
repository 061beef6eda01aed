// POST /commands: the JSON envelope to runtime::send_json; If-Match and Idempotency-Key become
// the envelope's expected_version and command_id.
#include <boost/asio/post.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <sstream>

#include "error_answers.hpp"
#include "routes.hpp"

namespace esk::http_detail {
namespace {

// The version an If-Match header names: "7", 7 or W/"7"; nullopt when it is not one.
std::optional<std::uint64_t> version_in_if_match(std::string_view header) {
  if (header.substr(0, 2) == "W/") header.remove_prefix(2);
  if (header.size() >= 2 && header.front() == '"' && header.back() == '"')
    header = header.substr(1, header.size() - 2);
  return parse_decimal(header);
}

// The envelope with the headers' expected version and command ID written in; or the error.
result<std::string> envelope_with_headers(const request& req, std::string& command_type) {
  boost::system::error_code failed;
  auto parsed = boost::json::parse(req.body(), failed);
  if (failed) return error{error_kind::bad_json, "the body is not JSON: " + failed.message()};
  auto* envelope = parsed.if_object();
  if (!envelope) return error{error_kind::bad_json, "the body is not a JSON object"};
  if (auto* type = envelope->if_contains("type"); type && type->is_string())
    command_type = std::string(type->get_string());
  const auto idempotency_key = req["Idempotency-Key"];
  if (!idempotency_key.empty())
    (*envelope)["command_id"] = std::string_view(idempotency_key.data(), idempotency_key.size());
  const auto if_match = req[http::field::if_match];
  if (!if_match.empty() && if_match != "*") {
    auto expected = version_in_if_match(std::string_view(if_match.data(), if_match.size()));
    if (!expected)
      return error{error_kind::bad_json,
                   "If-Match must name a stream version (\"7\"), not " + std::string(if_match)};
    (*envelope)["expected_version"] = *expected;
  }
  return boost::json::serialize(parsed);
}

// {"events": [...]}, each event as GET /events writes it, with the stream's new version as
// the ETag.
response recorded_answer(const std::vector<recorded_event>& events, unsigned version,
                         bool keep_alive) {
  std::ostringstream body;
  body << "{\"events\":[";
  for (std::size_t i = 0; i < events.size(); ++i) body << (i ? "," : "") << events[i];
  body << "]}\n";
  auto answer =
      body_response(http::status::ok, body.str(), "application/json", version, keep_alive);
  if (!events.empty())
    answer.set(http::field::etag, "\"" + std::to_string(events.back().version) + "\"");
  return answer;
}

}  // namespace

void answer_command(const std::shared_ptr<connection>& from, request&& req) {
  auto& server = from->server();
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  std::string command_type = "(unknown)";
  auto envelope = envelope_with_headers(req, command_type);
  if (!envelope) {
    server.metrics.count_command(command_type, std::string(to_string(envelope.kind())), {});
    return from->answer(error_response(envelope.error_value(), version, keep_alive));
  }
  if (!server.begin_command()) {
    server.metrics.count_command(command_type, "overloaded", {});
    return from->answer(error_response(
        error{error_kind::overloaded, "more than " + std::to_string(server.options.max_in_flight) +
                                          " commands are in flight: retry later"},
        version, keep_alive));
  }
  const auto received = std::chrono::steady_clock::now();
  // The runtime may keep copies of the callback after calling it: they share this slot, which
  // the call empties, so no copy keeps the connection (or anything of the server's) alive.
  auto slot = std::make_shared<std::shared_ptr<connection>>(from);
  server.rt.send_json(
      *envelope, [slot, version, keep_alive, received, command_type](command_result outcome) {
        std::shared_ptr<connection> owner = std::move(*slot);
        auto& server = owner->server();
        server.metrics.count_command(command_type,
                                     outcome ? "ok" : std::string(to_string(outcome.kind())),
                                     std::chrono::steady_clock::now() - received);
        if (outcome && !outcome->empty()) server.watcher().committed(outcome->back().position);
        owner->answer(outcome ? recorded_answer(*outcome, version, keep_alive)
                              : error_response(outcome.error_value(), version, keep_alive));
        // The answer, posted to the connection's strand, owns the connection now; once uncounted,
        // this callback must hold nothing of the server's (it may be gone right after).
        owner.reset();
        server.end_command();
      });
}

}  // namespace esk::http_detail
