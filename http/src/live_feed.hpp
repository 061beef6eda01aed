// GET /events/live: Server-Sent Events following the log in position order. Each event is
// sent as "id: <position>" and "data: <the event as one JSON line>"; a client resumes after a
// dropped connection with Last-Event-ID. Reads one page at a time and writes it before reading
// the next, so a slow client holds at most one page; one that takes longer than write_timeout
// to take a page is dropped.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "server_state.hpp"

namespace esk::http_detail {

class live_feed : public closable, public std::enable_shared_from_this<live_feed> {
 public:
  // Events in one write, at most.
  static constexpr std::size_t page_events = 100;

  // Sends the events from position `next` on over `stream` (whose request was read).
  live_feed(http_server::state& server, beast::tcp_stream stream, std::uint64_t next);
  ~live_feed() override;

  // Writes the response head, then follows the log. Call once, after registering.
  void start();

  void shut_down() override;

  std::uint64_t id() const { return id_; }

 private:
  void read_page();
  void on_page(result<std::vector<recorded_event>> page);
  // Writes `why` as a comment after a second's wait, then reads again from next_.
  void retry_later(const std::string& why);
  void wait_for_commits();
  void write(std::string text);
  void close();

  http_server::state& server_;
  const std::uint64_t id_;
  beast::tcp_stream stream_;
  net::steady_timer wait_timer_;
  std::uint64_t next_;
  std::string writing_;
  bool closed_ = false;
};

}  // namespace esk::http_detail
