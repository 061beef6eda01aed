#include "routes.hpp"

#include "error_answers.hpp"

namespace esk::http_detail {
namespace {

bool is(const request_target& target, std::initializer_list<std::string_view> segments) {
  if (target.segments.size() != segments.size()) return false;
  std::size_t i = 0;
  for (auto segment : segments) {
    if (!segment.empty() && target.segments[i] != segment) return false;
    ++i;
  }
  return true;
}

}  // namespace

void route_request(const std::shared_ptr<connection>& from, request&& req) {
  const auto method = req.method();
  const auto target =
      parse_request_target(std::string_view(req.target().data(), req.target().size()));
  const auto refuse = [&](http::status status, std::string_view kind, const std::string& why) {
    from->answer(error_response(status, kind, why, req.version(), req.keep_alive()));
  };
  if (!target) return refuse(http::status::bad_request, "bad_request", "malformed request target");
  const auto& path = *target;
  // Each known path, the one method it takes, and what answers it.
  const auto expect = [&](http::verb allowed) {
    if (method == allowed) return true;
    auto wrong = error_response(http::status::method_not_allowed, "method_not_allowed",
                                std::string(req.method_string()) + " " + path.path +
                                    " is not served; use " + std::string(http::to_string(allowed)),
                                req.version(), req.keep_alive());
    wrong.set(http::field::allow, http::to_string(allowed));
    from->answer(std::move(wrong));
    return false;
  };
  if (is(path, {"commands"})) {
    if (expect(http::verb::post)) answer_command(from, std::move(req));
  } else if (is(path, {"aggregates", "", ""})) {
    if (expect(http::verb::get)) answer_aggregate(from, req, path);
  } else if (is(path, {"streams"})) {
    if (expect(http::verb::get)) answer_stream_list(from, req, path);
  } else if (is(path, {"streams", ""})) {
    if (expect(http::verb::get)) answer_stream(from, req, path);
  } else if (is(path, {"events"})) {
    if (expect(http::verb::get)) answer_events(from, req, path);
  } else if (is(path, {"events", "live"})) {
    if (expect(http::verb::get)) answer_live(from, req, path);
  } else if (is(path, {"health"})) {
    if (expect(http::verb::get)) answer_health(from, req);
  } else if (is(path, {"metrics"})) {
    if (expect(http::verb::get)) answer_metrics(from, req);
  } else if (method == http::verb::get && answer_page(from, req, path)) {
    // the browser page's files
  } else {
    refuse(http::status::not_found, "not_found", "no endpoint at " + path.path);
  }
}

}  // namespace esk::http_detail
