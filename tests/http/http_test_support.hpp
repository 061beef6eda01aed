// http_test_support.hpp — a runtime with the users example (and an aggregate whose handler
// throws) served over HTTP on a free loopback port, for the HTTP tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "aggregates/user.hpp"
#include "esk/http_server.hpp"
#include "esk/runtime.hpp"
#include "esk/store/memory_store.hpp"
#include "http_client.hpp"

namespace esk::testing {

// An aggregate whose only command's handler throws: 500 handler_failed.
struct FuseBlown {
  std::string fuse_id;
};
BOOST_DESCRIBE_STRUCT(FuseBlown, (), (fuse_id))
struct BlowFuse {
  std::string fuse_id;
};
BOOST_DESCRIBE_STRUCT(BlowFuse, (), (fuse_id))
struct FuseState {
  bool blown = false;
  void apply(const FuseBlown&) { blown = true; }
  esk::decision handle(const BlowFuse&) const {
    throw std::runtime_error("the fuse handler always throws");
  }
};
BOOST_DESCRIBE_STRUCT(FuseState, (), (blown))

// A runtime on `store` with User and Fuse registered, served on 127.0.0.1 and a free port.
class served_runtime {
 public:
  explicit served_runtime(http_options options = loopback(),
                          std::shared_ptr<event_store> store = make_memory_store())
      : store_(std::move(store)), rt_(std::make_unique<runtime>(store_)) {
    users::register_user(*rt_);
    rt_->aggregate<FuseState>("Fuse")
        .event<FuseBlown>("FuseBlown")
        .command<BlowFuse>("BlowFuse", &BlowFuse::fuse_id);
    server_ = std::make_unique<http_server>(*rt_, std::move(options));
    auto started = server_->start();
    if (!started) throw std::runtime_error("cannot start: " + started.error_value().message);
  }

  // Loopback, a free port: what most tests run on.
  static http_options loopback() {
    http_options options;
    options.bind = "127.0.0.1";
    options.port = 0;
    return options;
  }

  std::uint16_t port() const { return server_->port(); }
  http_client client() const { return http_client(port()); }
  runtime& rt() { return *rt_; }
  http_server& server() { return *server_; }
  event_store& store() { return *store_; }

 private:
  std::shared_ptr<event_store> store_;
  std::unique_ptr<runtime> rt_;
  std::unique_ptr<http_server> server_;
};

// The JSON envelope of CreateUser for `id`.
inline std::string create_user(const std::string& id, const std::string& email = "a@b.c") {
  return R"({"type": "CreateUser", "payload": {"user_id": ")" + id +
         R"(", "name": "Ada", "email": ")" + email + R"("}})";
}

// The JSON envelope of ChangeEmail for `id`.
inline std::string change_email(const std::string& id, const std::string& email) {
  return R"({"type": "ChangeEmail", "payload": {"user_id": ")" + id + R"(", "email": ")" + email +
         R"("}})";
}

}  // namespace esk::testing
