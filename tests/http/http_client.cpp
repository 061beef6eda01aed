#include "http_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cerrno>
#include <stdexcept>

namespace esk::testing {

namespace http = boost::beast::http;
namespace net = boost::asio;

namespace {

// The socket as a blocking stream whose reads and writes give up after SO_RCVTIMEO /
// SO_SNDTIMEO (Asio's own blocking calls wait for readiness again on EAGAIN, ignoring them).
struct timed_socket {
  int fd;

  template <class Buffers>
  std::size_t read_some(const Buffers& buffers, boost::system::error_code& failed) {
    for (auto it = net::buffer_sequence_begin(buffers); it != net::buffer_sequence_end(buffers);
         ++it) {
      net::mutable_buffer buffer = *it;
      if (buffer.size() == 0) continue;
      const ssize_t count = ::recv(fd, buffer.data(), buffer.size(), 0);
      if (count < 0) {
        failed = {errno, boost::system::system_category()};
        return 0;
      }
      failed =
          count == 0 ? boost::system::error_code(net::error::eof) : boost::system::error_code();
      return static_cast<std::size_t>(count);
    }
    failed = {};
    return 0;
  }
  template <class Buffers>
  std::size_t read_some(const Buffers& buffers) {
    boost::system::error_code failed;
    const auto count = read_some(buffers, failed);
    if (failed) throw boost::system::system_error(failed);
    return count;
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers, boost::system::error_code& failed) {
    for (auto it = net::buffer_sequence_begin(buffers); it != net::buffer_sequence_end(buffers);
         ++it) {
      net::const_buffer buffer = *it;
      if (buffer.size() == 0) continue;
      const ssize_t count = ::send(fd, buffer.data(), buffer.size(), MSG_NOSIGNAL);
      if (count < 0) {
        failed = {errno, boost::system::system_category()};
        return 0;
      }
      failed = {};
      return static_cast<std::size_t>(count);
    }
    failed = {};
    return 0;
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers) {
    boost::system::error_code failed;
    const auto count = write_some(buffers, failed);
    if (failed) throw boost::system::system_error(failed);
    return count;
  }
};

}  // namespace

std::string http_answer::header(const std::string& name) const {
  auto found = headers.find(name);
  return found == headers.end() ? std::string() : found->second;
}

std::vector<std::string> http_answer::lines() const {
  std::vector<std::string> split;
  std::size_t start = 0;
  while (start < body.size()) {
    auto end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    split.push_back(body.substr(start, end - start));
    start = end + 1;
  }
  return split;
}

http_client::http_client(std::uint16_t port, std::chrono::milliseconds timeout)
    : io_(std::make_unique<net::io_context>()), socket_(*io_) {
  socket_.connect({net::ip::make_address("127.0.0.1"), port});
  timeval limit{};
  limit.tv_sec = static_cast<long>(timeout.count() / 1000);
  limit.tv_usec = static_cast<long>((timeout.count() % 1000) * 1000);
  ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
}

http_answer http_client::request(const std::string& method, const std::string& target,
                                 const std::string& body,
                                 const std::map<std::string, std::string>& headers) {
  send_request(method, target, body, headers);
  return read_answer();
}

void http_client::send_request(const std::string& method, const std::string& target,
                               const std::string& body,
                               const std::map<std::string, std::string>& headers) {
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  timed_socket timed{socket_.native_handle()};
  boost::system::error_code failed;
  http::write(timed, req, failed);
  // A server refusing the request (413, 431) may answer and stop reading before all of it was
  // written: the answer is still there to read.
  if (failed && failed != net::error::broken_pipe && failed != net::error::connection_reset)
    throw boost::system::system_error(failed);
}

http_answer http_client::raw(const std::string& bytes) {
  send_raw(bytes);
  return read_answer();
}

void http_client::send_raw(const std::string& bytes) {
  timed_socket timed{socket_.native_handle()};
  net::write(timed, net::buffer(bytes));
}

http_answer http_client::read_answer() {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  timed_socket timed{socket_.native_handle()};
  http::read(timed, buffer_, parser);
  auto res = parser.release();
  http_answer answer;
  answer.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    answer.headers[name] = std::string(field.value());
  }
  answer.body = std::move(res.body());
  return answer;
}

std::string http_client::read_some() {
  if (buffer_.size() > 0) {
    std::string pending(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    buffer_.consume(buffer_.size());
    return pending;
  }
  char chunk[65536];
  boost::system::error_code failed;
  timed_socket timed{socket_.native_handle()};
  const auto count = timed.read_some(net::buffer(chunk), failed);
  if (failed) throw std::runtime_error("reading from the server: " + failed.message());
  return std::string(chunk, count);
}

std::string http_client::read_to_end() {
  std::string received(static_cast<const char*>(buffer_.data().data()), buffer_.size());
  buffer_.consume(buffer_.size());
  char chunk[65536];
  while (true) {
    boost::system::error_code failed;
    timed_socket timed{socket_.native_handle()};
    const auto count = timed.read_some(net::buffer(chunk), failed);
    received.append(chunk, count);
    if (failed == net::error::eof || failed == net::error::connection_reset) return received;
    if (failed) throw std::runtime_error("reading from the server: " + failed.message());
  }
}

std::vector<sse_event> parse_sse(const std::string& stream) {
  std::vector<sse_event> events;
  std::size_t start = stream.find("\r\n\r\n");
  start = start == std::string::npos ? 0 : start + 4;
  while (true) {
    const auto end = stream.find("\n\n", start);
    if (end == std::string::npos) break;
    const std::string block = stream.substr(start, end - start);
    start = end + 2;
    sse_event event;
    bool has_data = false;
    std::size_t line_start = 0;
    while (line_start <= block.size()) {
      auto line_end = block.find('\n', line_start);
      if (line_end == std::string::npos) line_end = block.size();
      const std::string line = block.substr(line_start, line_end - line_start);
      if (line.rfind("id: ", 0) == 0) event.id = std::stoull(line.substr(4));
      if (line.rfind("data: ", 0) == 0) {
        event.data = line.substr(6);
        has_data = true;
      }
      line_start = line_end + 1;
    }
    if (has_data) events.push_back(std::move(event));
  }
  return events;
}

}  // namespace esk::testing
