// The inside of an http_server: its threads, the listening socket, the open connections and
// live feeds, the commands in flight, the metrics.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "commit_watcher.hpp"
#include "esk/http_server.hpp"
#include "http_metrics.hpp"
#include "http_types.hpp"

namespace esk {
namespace http_detail {

// Something open that stop() must close: a connection or a live feed.
class closable {
 public:
  virtual ~closable() = default;
  // Closes it soon, on its own strand: a connection answers what it is answering first.
  virtual void shut_down() = 0;
};

}  // namespace http_detail

class http_server::state {
 public:
  state(runtime& rt, http_options options);
  ~state();

  status start();
  void stop();
  status run(std::function<void(std::uint16_t)> on_listening);
  std::uint16_t port() const { return port_; }

  runtime& rt;
  const http_options options;
  http_detail::http_metrics metrics;

  // The I/O threads' context, and the pool blocking reads run on.
  http_detail::net::io_context& io() { return io_; }
  http_detail::net::thread_pool& readers() { return readers_; }
  http_detail::commit_watcher& watcher() { return *watcher_; }

  // True once stop() began: new requests are answered shutting_down.
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  // Counts a command sent through HTTP; false (counting nothing) when max_in_flight are.
  bool begin_command();
  // Uncounts one. The last thing a command's callback does.
  void end_command();

  std::size_t commands_in_flight() const { return in_flight_.load(); }
  std::size_t open_sessions() {
    std::lock_guard<std::mutex> lock(sessions_mutex_);
    return sessions_.size();
  }

  // Keeps track of an open connection or feed until it is closed (its destructor calls
  // closed()). Returns how many are open with it. After stop() began, shuts it down at once.
  std::size_t opened(std::uint64_t id, std::weak_ptr<http_detail::closable> session);
  void closed(std::uint64_t id);
  std::uint64_t next_session_id() { return next_session_id_++; }

 private:
  status listen();  // opens acceptor_
  void accept();
  void wait_until_drained();

  // Declared before io_: the handlers io_'s destructor destroys still reach these.
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<std::uint64_t> next_session_id_{1};
  std::mutex sessions_mutex_;
  std::condition_variable drained_;
  std::unordered_map<std::uint64_t, std::weak_ptr<http_detail::closable>> sessions_;
  std::mutex stop_mutex_;
  bool stopped_ = false;
  std::mutex run_mutex_;
  std::condition_variable stop_requested_;
  bool stop_requested_flag_ = false;
  std::uint16_t port_ = 0;

  http_detail::net::io_context io_;
  // Keeps the I/O threads running while nothing is pending, until stop() ends them.
  std::optional<http_detail::net::executor_work_guard<http_detail::net::io_context::executor_type>>
      keep_running_;
  std::optional<http_detail::tcp::acceptor> acceptor_;
  std::unique_ptr<http_detail::commit_watcher> watcher_;
  http_detail::net::thread_pool readers_;
  std::vector<std::thread> io_threads_;
};

}  // namespace esk
