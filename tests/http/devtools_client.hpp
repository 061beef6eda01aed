// devtools_client.hpp — a headless chromium for the browser page's test, driven through the
// Chrome DevTools Protocol over a WebSocket (Boost.Beast). Every wait is bounded; the browser
// and its profile directory go away with the object, also when a test fails.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace esk::testing {

// A headless chromium on about:blank, its DevTools on a free loopback port. Throws
// std::runtime_error when it cannot start or does not open its DevTools within `timeout`.
// The destructor kills it (and every process it started) and removes its profile directory.
class headless_chromium {
 public:
  // The chromium binary (/usr/bin/chromium), or nullopt when it is not installed.
  static std::optional<std::string> find_binary();

  explicit headless_chromium(const std::string& binary,
                             std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~headless_chromium();
  headless_chromium(const headless_chromium&) = delete;
  headless_chromium& operator=(const headless_chromium&) = delete;

  // The port of its DevTools HTTP and WebSocket endpoints.
  std::uint16_t devtools_port() const { return devtools_port_; }

 private:
  // Kills the browser's process group and removes the profile directory. Idempotent.
  void stop();

  std::filesystem::path profile_;
  pid_t pid_ = -1;  // also the process group of chromium and its children
  std::uint16_t devtools_port_ = 0;
};

// A DevTools session with one page (tab) of the browser. Calls block; each is bounded by the
// timeout given to the constructor and throws std::runtime_error on a timeout, a protocol
// error or an exception in the page.
class devtools_page {
 public:
  // Connects to the first page target the browser lists (GET /json/list).
  explicit devtools_page(std::uint16_t devtools_port,
                         std::chrono::milliseconds timeout = std::chrono::seconds(20));
  ~devtools_page();
  devtools_page(const devtools_page&) = delete;
  devtools_page& operator=(const devtools_page&) = delete;

  // Sends the command `method` with `params` and returns its result, skipping the events
  // that arrive before it.
  boost::json::value call(const std::string& method, boost::json::object params = {});

  // Evaluates `expression` in the page (awaiting it when it is a promise) and returns its
  // value as JSON.
  boost::json::value evaluate(const std::string& expression);

  // Evaluates `expression` every `interval` until it is a non-empty string or true, and
  // returns that value; null when `limit` passed first.
  boost::json::value poll(const std::string& expression, std::chrono::milliseconds limit,
                          std::chrono::milliseconds interval = std::chrono::milliseconds(100));

 private:
  // Runs the io_context until `done` or the timeout; closes the socket on a timeout.
  void run_until(const bool& done, const char* what);

  std::chrono::milliseconds timeout_;
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> socket_;
  boost::beast::flat_buffer buffer_;
  std::int64_t next_id_ = 1;
};

}  // namespace esk::testing
