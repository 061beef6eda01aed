// One HTTP connection: reads requests within the limits, hands each to the routes, writes the
// answers in order (keep-alive), and closes on error, timeout, or shutdown.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>

#include "server_state.hpp"

namespace esk::http_detail {

class connection : public closable, public std::enable_shared_from_this<connection> {
 public:
  // `over_limit`: answer 503 at once and close (max_connections are open).
  connection(http_server::state& server, tcp::socket socket, bool over_limit);
  ~connection() override;

  // Starts reading requests (or answering over_limit). Call once, after registering.
  void start();

  void shut_down() override;

  // Writes `answer` to the request being handled, from any thread; then reads the next
  // request, or closes when the answer or the request says so or the server is stopping.
  void answer(response answer);

  // Hands the socket over to a live feed starting at position `next` (GET /events/live).
  // Call from a route, on this connection's strand; the connection reads nothing more.
  void start_live_feed(std::uint64_t next);

  http_server::state& server() { return server_; }
  std::uint64_t id() const { return id_; }

 private:
  void read_request();
  void on_read(beast::error_code failed);
  void write(response answer);
  void close();
  void discard_input();  // until the client closes or the deadline, then closes

  http_server::state& server_;
  const std::uint64_t id_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<response> writing_;  // the answer being written
  bool over_limit_;
  bool busy_ = false;  // a request is being handled or answered
  bool shutting_down_ = false;
  bool handed_over_ = false;
  bool closing_ = false;
  std::array<char, 4096> discarded_;
};

}  // namespace esk::http_detail
