// esk/http_server.hpp — an HTTP front for a runtime: commands in, state, events and a live feed
// out, health and metrics, on Boost.Beast. Built on the public API only (esk/runtime.hpp).
//
//   esk::runtime rt{store};
//   users::register_user(rt);
//   esk::http_options options;
//   options.port = 8080;
//   esk::http_server server{rt, options};
//   return server.run() ? 0 : 1;  // serves until SIGTERM or SIGINT, then drains
//
// Endpoints, status codes, limits and the security model: docs/HTTP.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "esk/result.hpp"
#include "esk/runtime.hpp"

namespace esk {

// Where and how an http_server listens, and the limits that keep a slow or hostile client from
// exhausting it.
struct http_options {
  // The address to listen on. Loopback (127.0.0.1, ::1) needs no token; any other address
  // requires bearer_token.
  std::string bind = "127.0.0.1";
  // The TCP port; 0 = a free port chosen by the system (http_server::port() tells which).
  std::uint16_t port = 8080;
  // When not empty, every request but GET /health must carry "Authorization: Bearer <token>"
  // (compared in constant time); otherwise 401. Required when `bind` is not loopback.
  std::string bearer_token;
  std::size_t io_threads = 2;      // threads that parse requests and write answers
  std::size_t reader_threads = 2;  // threads for blocking reads (state, streams, the log)
  std::size_t max_body_bytes = max_json_command_bytes;  // larger: 413
  std::size_t max_header_bytes = 16 * 1024;             // larger: 431
  std::size_t max_connections = 1024;                   // beyond: answered 503 and closed
  std::size_t max_in_flight = 1024;  // commands sent through HTTP and not yet answered;
                                     // beyond: 503 overloaded with Retry-After
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(30)};   // between requests
  std::chrono::milliseconds write_timeout{std::chrono::seconds(10)};  // per answer or live
                                                                      // page; then dropped
  std::size_t max_page_events = 1000;  // the largest `limit` of /events and /streams
  // The live feed (GET /events/live) looks for new commits this often while a client listens
  // (commits through this server wake it at once), and sends a comment line after this long
  // without events so that dead connections are noticed.
  std::chrono::milliseconds live_poll_interval{50};
  std::chrono::milliseconds live_heartbeat{std::chrono::seconds(15)};
  // How long stop() (and run() after a signal) waits for the commands in flight.
  std::chrono::milliseconds drain_deadline{std::chrono::seconds(30)};
};

// An HTTP server over one runtime. The runtime must outlive the server.
//
// Commands go to the runtime's asynchronous API (runtime::send_json): no I/O thread ever waits
// for a command; blocking reads run on reader threads of their own. Thread-safe: start, stop
// and port may be called from any thread.
class http_server {
 public:
  // Prepares a server for `rt`; listens only once start() or run() is called. Never blocks.
  http_server(runtime& rt, http_options options = {});

  // Stops (as stop()) if still running.
  ~http_server();

  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Binds, listens and starts the I/O threads; returns once connections are accepted.
  // Errors: invalid_argument (an address that does not parse; a non-loopback address without
  // a bearer token; the address or port cannot be bound, the message says why; started before).
  status start();

  // The port listened on (the chosen one when options.port was 0). REQUIRES: start() succeeded.
  std::uint16_t port() const;

  // Stops gracefully: stops accepting, closes idle connections at once (a connection being
  // answered closes after its answer; a request that finishes arriving as the stop begins may get
  // 503 shutting_down), closes the live feeds, waits (up to options.drain_deadline) until every
  // command sent through HTTP is answered and its answer written, then closes every connection
  // and joins the threads. Blocks. Calling it again, or before start(), does nothing.
  void stop();

  // start(), then calls on_listening(port()) (e.g. to print where it listens), serves until
  // SIGTERM or SIGINT arrives (or stop() is called from another thread), then stop(). The
  // signals are caught from before start() on, so one sent after on_listening never kills the
  // process. Blocks. Errors: those of start().
  status run(std::function<void(std::uint16_t port)> on_listening = {});

  class state;  // internal

 private:
  std::shared_ptr<state> state_;
};

// Reads a bearer token: the first line of the file at `path` when path is not empty, else the
// environment variable `variable` (e.g. "ESK_HTTP_TOKEN"); surrounding white space is dropped.
// An empty result means no token was given. Errors: invalid_argument (the file cannot be read,
// or it holds an empty token).
result<std::string> read_bearer_token(const std::string& path, const char* variable);

}  // namespace esk
