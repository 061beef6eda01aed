// http_client.hpp — a small blocking HTTP/1.1 client on Boost.Beast for the tests: one
// keep-alive connection to a loopback port, every read and write bounded by a timeout.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace esk::testing {

// An answer as the client saw it.
struct http_answer {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The header `name` (lower case), or "" when absent.
  std::string header(const std::string& name) const;
  // The body's lines (JSON lines), without the empty last one.
  std::vector<std::string> lines() const;
};

// One connection to 127.0.0.1:port. Throws std::runtime_error on a connection failure or
// timeout (a test fails rather than hangs).
class http_client {
 public:
  explicit http_client(std::uint16_t port,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20));

  // Sends one request and reads its answer; `headers` are added as given.
  http_answer request(const std::string& method, const std::string& target,
                      const std::string& body = {},
                      const std::map<std::string, std::string>& headers = {});
  http_answer get(const std::string& target,
                  const std::map<std::string, std::string>& headers = {}) {
    return request("GET", target, {}, headers);
  }
  http_answer post(const std::string& target, const std::string& body,
                   const std::map<std::string, std::string>& headers = {}) {
    return request("POST", target, body, headers);
  }

  // Writes a request without reading its answer (read it with read_answer()).
  void send_request(const std::string& method, const std::string& target,
                    const std::string& body = {},
                    const std::map<std::string, std::string>& headers = {});

  // Reads one answer.
  http_answer read_answer();

  // Writes raw bytes (for malformed requests) and reads one answer.
  http_answer raw(const std::string& bytes);

  // Writes raw bytes without reading anything.
  void send_raw(const std::string& bytes);

  // Reads raw bytes until `done(received)` is true; returns them. Throws on timeout or when
  // the server closes first.
  template <class Done>
  std::string read_until(Done done) {
    std::string received;
    while (!done(received)) received += read_some();
    return received;
  }

  // Reads everything until the server closes the connection; throws on a timeout.
  std::string read_to_end();

 private:
  std::string read_some();

  std::unique_ptr<boost::asio::io_context> io_;  // movable clients
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// One Server-Sent Event as the client parsed it.
struct sse_event {
  std::uint64_t id = 0;
  std::string data;
};

// The complete events in `stream` (text after the response head), in order.
std::vector<sse_event> parse_sse(const std::string& stream);

}  // namespace esk::testing
