#include "connection.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "bearer_token.hpp"
#include "error_answers.hpp"
#include "live_feed.hpp"
#include "routes.hpp"

namespace esk::http_detail {

connection::connection(http_server::state& server, tcp::socket socket, bool over_limit)
    : server_(server),
      id_(server.next_session_id()),
      stream_(std::move(socket)),
      over_limit_(over_limit) {}

connection::~connection() { server_.closed(id_); }

void connection::start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (self->over_limit_) {
      self->busy_ = true;
      self->write(error_response(http::status::service_unavailable, "overloaded",
                                 "too many open connections", 11, false));
      return;
    }
    self->read_request();
  });
}

void connection::shut_down() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->shutting_down_ = true;
    // One being answered closes after its answer; an idle one closes now, which ends its
    // pending read (so no lingering read may start beside it).
    if (!self->busy_ && !self->handed_over_) self->stream_.close();
  });
}

void connection::read_request() {
  if (shutting_down_) return close();
  busy_ = false;
  parser_.emplace();
  parser_->body_limit(server_.options.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header_bytes));
  stream_.expires_after(server_.options.idle_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code failed, std::size_t) {
                     self->on_read(failed);
                   });
}

void connection::on_read(beast::error_code failed) {
  if (failed == http::error::body_limit) {
    busy_ = true;
    return write(error_response(
        http::status::payload_too_large, "too_large",
        "the body is larger than " + std::to_string(server_.options.max_body_bytes) + " bytes", 11,
        false));
  }
  if (failed == http::error::header_limit) {
    busy_ = true;
    return write(error_response(http::status::request_header_fields_too_large, "too_large",
                                "the headers are larger than " +
                                    std::to_string(server_.options.max_header_bytes) + " bytes",
                                11, false));
  }
  if (failed && failed.category() == beast::error_code(http::error::bad_target).category() &&
      failed != http::error::end_of_stream && failed != http::error::partial_message) {
    busy_ = true;
    return write(error_response(http::status::bad_request, "bad_request",
                                "malformed HTTP request: " + failed.message(), 11, false));
  }
  if (failed || shutting_down_) return close();
  busy_ = true;
  request req = parser_->release();
  stream_.expires_never();
  if (server_.stopping())
    return write(error_response(http::status::service_unavailable, "shutting_down",
                                "the server is stopping", req.version(), false));
  const std::string_view target(req.target().data(), req.target().size());
  const bool is_health = target.substr(0, target.find('?')) == "/health";
  if (!server_.options.bearer_token.empty() && !is_health &&
      !bearer_token_matches(req[http::field::authorization], server_.options.bearer_token)) {
    auto denied = error_response(http::status::unauthorized, "unauthorized",
                                 "a valid 'Authorization: Bearer <token>' header is required",
                                 req.version(), req.keep_alive());
    denied.set(http::field::www_authenticate, "Bearer");
    return write(std::move(denied));
  }
  route_request(shared_from_this(), std::move(req));
}

void connection::answer(response answer) {
  net::dispatch(stream_.get_executor(),
                [self = shared_from_this(), answer = std::move(answer)]() mutable {
                  self->write(std::move(answer));
                });
}

void connection::write(response answer) {
  if (shutting_down_ || server_.stopping()) answer.keep_alive(false);
  writing_ = std::make_shared<response>(std::move(answer));
  stream_.expires_after(server_.options.write_timeout);
  http::async_write(stream_, *writing_,
                    [self = shared_from_this()](beast::error_code failed, std::size_t) {
                      const bool keep_alive = self->writing_->keep_alive();
                      self->writing_.reset();
                      if (failed || !keep_alive) return self->close();
                      self->read_request();
                    });
}

void connection::start_live_feed(std::uint64_t next) {
  handed_over_ = true;
  stream_.expires_never();
  auto feed = std::make_shared<live_feed>(server_, std::move(stream_), next);
  server_.opened(feed->id(), feed);
  feed->start();
}

void connection::close() {
  if (handed_over_ || closing_) return;  // the live feed owns the socket now, or closing began
  closing_ = true;
  beast::error_code ignored;  // the peer may have gone already: nothing to tell anyone
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  // Closing with unread input makes the kernel reset the connection, and a client still
  // sending (a body over the limit) would lose the answer: read what comes until the client
  // closes too, for at most a second.
  stream_.expires_after(std::chrono::seconds(1));
  discard_input();
}

void connection::discard_input() {
  stream_.async_read_some(net::buffer(discarded_),
                          [self = shared_from_this()](beast::error_code failed, std::size_t) {
                            if (!failed) return self->discard_input();
                            self->stream_.close();
                          });
}

}  // namespace esk::http_detail
