#include "server_state.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

#include "connection.hpp"

namespace esk {

using namespace http_detail;

namespace {

std::size_t at_least_one(std::size_t count) { return count == 0 ? 1 : count; }

}  // namespace

http_server::state::state(runtime& runtime_, http_options options_)
    : rt(runtime_), options(std::move(options_)), readers_(at_least_one(options.reader_threads)) {
  watcher_ =
      std::make_unique<commit_watcher>(io_, readers_, rt.store(), options.live_poll_interval);
}

http_server::state::~state() {
  stop();
  // A command's callback posts its answer to io_ and then uncounts itself: wait for the last
  // ones (the runtime answers every command) so that none reaches a destroyed context.
  std::unique_lock<std::mutex> lock(sessions_mutex_);
  drained_.wait(lock, [this] { return in_flight_.load() == 0; });
}

status http_server::state::start() {
  if (started_.exchange(true))
    return error{error_kind::invalid_argument, "the HTTP server was started before"};
  if (auto listening = listen(); !listening) {
    acceptor_.reset();
    started_ = false;
    return listening;
  }
  accept();
  keep_running_.emplace(io_.get_executor());
  for (std::size_t i = 0; i < at_least_one(options.io_threads); ++i)
    io_threads_.emplace_back([this] { io_.run(); });
  return {};
}

status http_server::state::listen() {
  beast::error_code failed;
  const auto address = net::ip::make_address(options.bind, failed);
  if (failed)
    return error{error_kind::invalid_argument,
                 "cannot listen on '" + options.bind + "': not an IP address"};
  if (!address.is_loopback() && options.bearer_token.empty())
    return error{error_kind::invalid_argument,
                 "listening on " + options.bind +
                     " (not loopback) requires a bearer token (a token file or ESK_HTTP_TOKEN)"};
  acceptor_.emplace(net::make_strand(io_));
  const tcp::endpoint endpoint{address, options.port};
  acceptor_->open(endpoint.protocol(), failed);
  if (!failed) acceptor_->set_option(net::socket_base::reuse_address(true), failed);
  if (!failed) acceptor_->bind(endpoint, failed);
  if (!failed) acceptor_->listen(net::socket_base::max_listen_connections, failed);
  if (failed)
    return error{error_kind::invalid_argument, "cannot listen on " + options.bind + ":" +
                                                   std::to_string(options.port) + ": " +
                                                   failed.message()};
  port_ = acceptor_->local_endpoint().port();
  return {};
}

void http_server::state::accept() {
  acceptor_->async_accept(net::make_strand(io_), [this](beast::error_code failed,
                                                        tcp::socket socket) {
    if (failed == net::error::operation_aborted || !acceptor_->is_open()) return;
    if (!failed) {
      bool over_limit = false;
      {
        std::lock_guard<std::mutex> lock(sessions_mutex_);
        over_limit = sessions_.size() >= options.max_connections;
      }
      auto opened_connection = std::make_shared<connection>(*this, std::move(socket), over_limit);
      opened(opened_connection->id(), opened_connection);
      opened_connection->start();
    }
    // A failed accept (e.g. out of file descriptors) is not the listener's end.
    accept();
  });
}

bool http_server::state::begin_command() {
  if (in_flight_.fetch_add(1) >= options.max_in_flight) {
    end_command();
    return false;
  }
  return true;
}

void http_server::state::end_command() {
  // Under the lock: the destructor waits for the count to reach 0 and may destroy everything
  // as soon as it sees it, so nothing may be touched after the unlock.
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  if (in_flight_.fetch_sub(1) == 1) drained_.notify_all();
}

std::size_t http_server::state::opened(std::uint64_t id, std::weak_ptr<closable> session) {
  std::size_t open = 0;
  {
    std::lock_guard<std::mutex> lock(sessions_mutex_);
    sessions_[id] = session;
    open = sessions_.size();
  }
  if (stopping())
    if (auto alive = session.lock()) alive->shut_down();
  return open;
}

void http_server::state::closed(std::uint64_t id) {
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  sessions_.erase(id);
  if (sessions_.empty()) drained_.notify_all();
}

void http_server::state::wait_until_drained() {
  std::unique_lock<std::mutex> lock(sessions_mutex_);
  drained_.wait_for(lock, options.drain_deadline,
                    [this] { return sessions_.empty() && in_flight_.load() == 0; });
}

void http_server::state::stop() {
  std::lock_guard<std::mutex> serial(stop_mutex_);
  if (stopped_ || !started_) return;
  stopped_ = true;
  stopping_.store(true, std::memory_order_release);
  net::post(acceptor_->get_executor(), [this] {
    beast::error_code ignored;  // closing a listener that failed already changes nothing
    acceptor_->close(ignored);
  });
  watcher_->shut_down();
  std::vector<std::shared_ptr<closable>> open;
  {
    std::lock_guard<std::mutex> lock(sessions_mutex_);
    for (auto& [id, session] : sessions_)
      if (auto alive = session.lock()) open.push_back(std::move(alive));
  }
  for (auto& session : open) session->shut_down();
  open.clear();
  wait_until_drained();
  keep_running_.reset();
  io_.stop();
  for (auto& thread : io_threads_) thread.join();
  io_threads_.clear();
  readers_.join();
  {
    std::lock_guard<std::mutex> lock(run_mutex_);
    stop_requested_flag_ = true;
  }
  stop_requested_.notify_all();
}

status http_server::state::run(std::function<void(std::uint16_t)> on_listening) {
  // Registered before the I/O threads start, so no signal finds the default action.
  net::signal_set signals(io_, SIGINT, SIGTERM);
  signals.async_wait([this](beast::error_code failed, int) {
    if (failed) return;
    std::lock_guard<std::mutex> lock(run_mutex_);
    stop_requested_flag_ = true;
    stop_requested_.notify_all();
  });
  if (auto started = start(); !started) return started;
  if (on_listening) on_listening(port_);
  {
    std::unique_lock<std::mutex> lock(run_mutex_);
    stop_requested_.wait(lock, [this] { return stop_requested_flag_; });
  }
  stop();
  return {};
}

}  // namespace esk
