#include "esk/http_server.hpp"

#include "server_state.hpp"

namespace esk {

http_server::http_server(runtime& rt, http_options options)
    : state_(std::make_shared<state>(rt, std::move(options))) {}

http_server::~http_server() = default;

status http_server::start() { return state_->start(); }

std::uint16_t http_server::port() const { return state_->port(); }

void http_server::stop() { state_->stop(); }

status http_server::run(std::function<void(std::uint16_t)> on_listening) {
  return state_->run(std::move(on_listening));
}

}  // namespace esk
