#include "error_answers.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace esk::http_detail {
namespace {

// The field a message names ("...: missing field 'email'"), or empty.
std::string_view field_named_in(std::string_view message) {
  constexpr std::string_view marker = "field '";
  const auto start = message.find(marker);
  if (start == std::string_view::npos) return {};
  const auto begin = start + marker.size();
  const auto end = message.find('\'', begin);
  if (end == std::string_view::npos) return {};
  return message.substr(begin, end - begin);
}

}  // namespace

http::status status_for(error_kind kind) noexcept {
  switch (kind) {
    case error_kind::rejected:
    case error_kind::bad_payload:
    case error_kind::invalid_argument:
      return http::status::unprocessable_entity;
    case error_kind::conflict:
      return http::status::conflict;
    case error_kind::bad_json:
      return http::status::bad_request;
    case error_kind::unknown_command:
    case error_kind::unknown_aggregate:
      return http::status::not_found;
    case error_kind::overloaded:
    case error_kind::store_unavailable:
    case error_kind::shutting_down:
    case error_kind::timeout:
      return http::status::service_unavailable;
    case error_kind::unknown_event:
    case error_kind::handler_failed:
    case error_kind::incompatible_store:
      return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

response body_response(http::status status, std::string body, std::string_view content_type,
                       unsigned version, bool keep_alive) {
  response answer{status, version};
  answer.set(http::field::content_type, content_type);
  answer.set(http::field::cache_control, "no-store");
  answer.keep_alive(keep_alive);
  answer.body() = std::move(body);
  answer.prepare_payload();
  return answer;
}

response error_response(http::status status, std::string_view kind, std::string_view message,
                        unsigned version, bool keep_alive) {
  boost::json::object detail;
  detail["kind"] = kind;
  detail["message"] = message;
  if (auto field = field_named_in(message); !field.empty()) detail["field"] = field;
  boost::json::object body;
  body["error"] = std::move(detail);
  auto answer = body_response(status, boost::json::serialize(body) + "\n", "application/json",
                              version, keep_alive);
  if (status == http::status::service_unavailable) answer.set(http::field::retry_after, "1");
  return answer;
}

response error_response(const error& failure, unsigned version, bool keep_alive) {
  auto answer = error_response(status_for(failure.kind), to_string(failure.kind), failure.message,
                               version, keep_alive);
  if (!failure.code.empty()) {
    // A rejection's code, for clients to branch on: {"error":{"kind":"rejected","code":...}}.
    auto body = boost::json::parse(answer.body());
    body.at("error").as_object()["code"] = failure.code;
    answer.body() = boost::json::serialize(body) + "\n";
    answer.prepare_payload();
  }
  if (failure.stream_version) {
    // A conflict says where the stream is, so the client can re-read and decide again.
    auto body = boost::json::parse(answer.body());
    body.at("error").as_object()["current_version"] = *failure.stream_version;
    answer.body() = boost::json::serialize(body) + "\n";
    answer.set(http::field::etag, "\"" + std::to_string(*failure.stream_version) + "\"");
    answer.prepare_payload();
  }
  return answer;
}

}  // namespace esk::http_detail
