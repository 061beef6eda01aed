#include "live_feed.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <sstream>

namespace esk::http_detail {
namespace {

constexpr std::string_view response_head =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/event-stream\r\n"
    "Cache-Control: no-store\r\n"
    "X-Accel-Buffering: no\r\n"
    "Connection: close\r\n"
    "\r\n"
    "retry: 1000\n\n";

// One event as a Server-Sent Event; the JSON line holds no new line, so it is one data line.
void append_event(std::string& out, const recorded_event& event) {
  std::ostringstream line;
  line << event;
  out += "id: " + std::to_string(event.position) + "\ndata: " + line.str() + "\n\n";
}

}  // namespace

live_feed::live_feed(http_server::state& server, beast::tcp_stream stream, std::uint64_t next)
    : server_(server),
      id_(server.next_session_id()),
      stream_(std::move(stream)),
      wait_timer_(stream_.get_executor()),
      next_(next == 0 ? 1 : next) {}

live_feed::~live_feed() { server_.closed(id_); }

void live_feed::start() {
  net::dispatch(stream_.get_executor(),
                [self = shared_from_this()] { self->write(std::string(response_head)); });
}

void live_feed::shut_down() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
}

void live_feed::read_page() {
  if (closed_) return;
  net::post(server_.readers(), [self = shared_from_this()] {
    auto page = self->server_.rt.store().read_all(self->next_, page_events);
    net::post(self->stream_.get_executor(),
              [self, page = std::move(page)]() mutable { self->on_page(std::move(page)); });
  });
}

void live_feed::on_page(result<std::vector<recorded_event>> page) {
  if (closed_) return;
  if (!page) return retry_later(page.error_value().message);
  if (page->empty()) return wait_for_commits();
  const event_registry& events = server_.rt.events();
  std::string text;
  for (const auto& event : *page) {
    if (!events.needs_upcast(event.type)) {
      append_event(text, event);
    } else if (auto current = events.upcast(event)) {
      for (const auto& part : *current) append_event(text, part);
    } else {
      // An event this build cannot read (esk/upcasting.hpp) is never sent misread: the feed
      // stops before it, and says why every second until a build that reads it serves.
      if (text.empty()) return retry_later(current.error_value().message);
      break;
    }
    next_ = event.position + 1;
  }
  server_.watcher().committed(next_ - 1);
  write(std::move(text));
}

void live_feed::retry_later(const std::string& why) {
  wait_timer_.expires_after(std::chrono::seconds(1));
  wait_timer_.async_wait([self = shared_from_this(), why](beast::error_code) {
    self->write(": cannot read the log: " + why + "\n\n");
  });
}

void live_feed::wait_for_commits() {
  wait_timer_.expires_after(server_.options.live_heartbeat);
  auto self = shared_from_this();
  const bool waiting = server_.watcher().wait_for(id_, next_, [self] {
    net::post(self->stream_.get_executor(), [self] { self->wait_timer_.cancel(); });
  });
  if (!waiting) return read_page();
  wait_timer_.async_wait([self](beast::error_code woken) {
    if (self->closed_) return;
    if (woken) return self->read_page();  // cancelled: a commit arrived
    self->write(": heartbeat\n\n");
  });
}

void live_feed::write(std::string text) {
  if (closed_) return;
  writing_ = std::move(text);
  stream_.expires_after(server_.options.write_timeout);
  net::async_write(stream_, net::buffer(writing_),
                   [self = shared_from_this()](beast::error_code failed, std::size_t) {
                     // A client that does not take a page within write_timeout is dropped.
                     if (failed) return self->close();
                     self->stream_.expires_never();
                     self->read_page();
                   });
}

void live_feed::close() {
  if (closed_) return;
  closed_ = true;
  server_.watcher().forget(id_);
  wait_timer_.cancel();
  beast::error_code ignored;  // the client may have gone already
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.close();
}

}  // namespace esk::http_detail
