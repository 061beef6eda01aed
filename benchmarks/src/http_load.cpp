#include "http_load.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <vector>

namespace esk::bench {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;

// What all connections add up, on the one client thread (no locks needed).
struct load_totals {
  std::uint64_t failed = 0;
  std::string first_failure;
  clock_type::time_point last_answer;
};

// One keep-alive connection sending its lanes' requests one after another.
class lane_connection : public std::enable_shared_from_this<lane_connection> {
 public:
  lane_connection(net::io_context& io, const http_plan& plan, std::size_t first_lane,
                  std::size_t lane_stride, latency_histogram& latency, load_totals& totals)
      : socket_(io),
        plan_(plan),
        first_lane_(first_lane),
        lane_stride_(lane_stride),
        latency_(latency),
        totals_(totals) {}

  void start(const tcp::endpoint& server) {
    socket_.async_connect(server, [self = shared_from_this()](beast::error_code failed) {
      if (failed) return self->give_up("connect: " + failed.message());
      self->socket_.set_option(tcp::no_delay(true));
      self->send_next();
    });
  }

 private:
  std::size_t lanes_here() const {
    return first_lane_ < plan_.lanes ? (plan_.lanes - first_lane_ + lane_stride_ - 1) / lane_stride_
                                     : 0;
  }

  void send_next() {
    const std::size_t lanes = lanes_here();
    if (sent_ == lanes * plan_.steps) return close();
    const std::size_t step = sent_ / lanes;
    const std::size_t lane = first_lane_ + (sent_ % lanes) * lane_stride_;
    ++sent_;
    request_ = {http::verb::post, plan_.target, 11};
    request_.set(http::field::host, "127.0.0.1");
    request_.set(http::field::content_type, "application/json");
    request_.body() = plan_.body(lane, step);
    request_.prepare_payload();
    started_ = clock_type::now();
    http::async_write(socket_, request_,
                      [self = shared_from_this()](beast::error_code failed, std::size_t) {
                        if (failed) return self->give_up("write: " + failed.message());
                        self->read_answer();
                      });
  }

  void read_answer() {
    answer_ = {};
    http::async_read(socket_, buffer_, answer_,
                     [self = shared_from_this()](beast::error_code failed, std::size_t) {
                       if (failed) return self->give_up("read: " + failed.message());
                       self->account();
                       if (!self->answer_.keep_alive()) return self->give_up("server closed");
                       self->send_next();
                     });
  }

  void account() {
    const auto now = clock_type::now();
    latency_.record(now - started_);
    ++answered_here_;
    totals_.last_answer = now;
    if (answer_.result() != http::status::ok)
      note_failure(std::to_string(answer_.result_int()) + " " + answer_.body());
  }

  // Counts the requests of this connection left unanswered as failed, and closes.
  void give_up(const std::string& why) {
    const std::size_t total = lanes_here() * plan_.steps;
    for (std::size_t i = answered_here_; i < total; ++i) note_failure(why);
    answered_here_ = sent_ = total;
    close();
  }

  void note_failure(const std::string& why) {
    if (totals_.failed++ == 0) totals_.first_failure = why;
  }

  void close() {
    beast::error_code ignored;  // the server may have closed first: nothing left to tell
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  const http_plan& plan_;
  const std::size_t first_lane_, lane_stride_;
  latency_histogram& latency_;
  load_totals& totals_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> answer_;
  clock_type::time_point started_;
  std::size_t sent_ = 0;           // requests written (or being written)
  std::size_t answered_here_ = 0;  // answers read
};

}  // namespace

drive_result drive_http(const http_plan& plan, std::uint16_t port, std::size_t connections,
                        latency_histogram& latency) {
  net::io_context io{1};
  load_totals totals;
  connections = std::max<std::size_t>(1, std::min(connections, plan.lanes));
  const tcp::endpoint server{net::ip::make_address("127.0.0.1"), port};
  const auto started = clock_type::now();
  for (std::size_t c = 0; c < connections; ++c)
    std::make_shared<lane_connection>(io, plan, c, connections, latency, totals)->start(server);
  io.run();
  drive_result result;
  result.commands = plan.lanes * plan.steps;
  result.failed = totals.failed;
  result.first_failure = totals.first_failure;
  const auto ended = std::max(totals.last_answer, started);  // none answered: 0 s
  result.seconds = std::chrono::duration<double>(ended - started).count();
  return result;
}

}  // namespace esk::bench
