#include "devtools_client.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

#include "http_client.hpp"

extern char** environ;

namespace esk::testing {
namespace {

namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using clock_type = std::chrono::steady_clock;

// A fresh, empty directory under the system's temporary directory.
std::filesystem::path make_profile_directory() {
  std::random_device seed;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto path = std::filesystem::temp_directory_path() /
                ("esk-chromium-" + std::to_string(::getpid()) + "-" + std::to_string(seed()));
    if (std::filesystem::create_directory(path)) return path;
  }
  throw std::runtime_error("cannot create a profile directory for chromium");
}

// The port on the first line of <profile>/DevToolsActivePort, once chromium wrote it; 0 before.
std::uint16_t read_active_port(const std::filesystem::path& profile) {
  std::ifstream file(profile / "DevToolsActivePort");
  unsigned port = 0;
  std::string rest;
  // The second line (the browser's path) is written with the first: both present means done.
  if (file >> port >> rest && port > 0 && port < 65536) return static_cast<std::uint16_t>(port);
  return 0;
}

}  // namespace

std::optional<std::string> headless_chromium::find_binary() {
  const std::string binary = "/usr/bin/chromium";
  if (::access(binary.c_str(), X_OK) == 0) return binary;
  return std::nullopt;
}

headless_chromium::headless_chromium(const std::string& binary, std::chrono::milliseconds timeout)
    : profile_(make_profile_directory()) {
  std::vector<std::string> words{binary,
                                 "--headless=new",
                                 "--no-sandbox",  // as root chromium refuses to start without it
                                 "--disable-gpu",
                                 "--disable-dev-shm-usage",
                                 "--no-first-run",
                                 "--no-default-browser-check",
                                 "--remote-debugging-address=127.0.0.1",
                                 "--remote-debugging-port=0",
                                 "--user-data-dir=" + profile_.string(),
                                 "about:blank"};
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  const std::string log = (profile_ / "chromium.log").string();
  const pid_t parent = ::getpid();
  // fork and exec rather than posix_spawn, for what the child sets up first: a process group of
  // its own (the destructor kills its renderers and helpers with it) and death with this
  // process, so a test killed by a timeout or a crash leaves no browser behind. Between fork
  // and exec only async-signal-safe calls.
  pid_ = ::fork();
  if (pid_ == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    // Its chatter (D-Bus, GPU) would drown the test's output.
    const int chatter = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (chatter >= 0) {
      ::dup2(chatter, STDOUT_FILENO);
      ::dup2(chatter, STDERR_FILENO);
    }
    ::execve(binary.c_str(), argv.data(), environ);
    ::_exit(127);
  }
  if (pid_ < 0) {
    const int failed = errno;
    pid_ = -1;
    stop();
    throw std::system_error(failed, std::generic_category(), "cannot start " + binary);
  }
  ::setpgid(pid_, pid_);  // as the child does: whichever runs first, the group exists
  const auto deadline = clock_type::now() + timeout;
  while ((devtools_port_ = read_active_port(profile_)) == 0) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream chatter(log);
      const std::string why((std::istreambuf_iterator<char>(chatter)), {});
      stop();
      throw std::runtime_error("chromium exited before opening its DevTools: " + why);
    }
    if (clock_type::now() > deadline) {
      stop();
      throw std::runtime_error("chromium did not open its DevTools within the timeout");
    }
    // Polling a file another process writes: there is nothing to wait on.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

headless_chromium::~headless_chromium() { stop(); }

void headless_chromium::stop() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  // Children of the group may still be going away; a second try takes what they left.
  std::error_code ignored;
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::filesystem::remove_all(profile_, ignored);
    if (!std::filesystem::exists(profile_, ignored)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

devtools_page::devtools_page(std::uint16_t devtools_port, std::chrono::milliseconds timeout)
    : timeout_(timeout), socket_(io_) {
  // The page target the browser opened on about:blank.
  std::string target;
  const auto deadline = clock_type::now() + timeout;
  while (target.empty()) {
    auto listed = http_client(devtools_port, timeout).get("/json/list");
    if (listed.status == 200) {
      const auto targets = boost::json::parse(listed.body);
      for (const auto& entry : targets.as_array()) {
        const auto& object = entry.as_object();
        if (object.at("type").as_string() == "page" && object.contains("webSocketDebuggerUrl")) {
          target = std::string(object.at("webSocketDebuggerUrl").as_string());
          break;
        }
      }
    }
    if (target.empty()) {
      if (clock_type::now() > deadline)
        throw std::runtime_error("chromium lists no page target: " + listed.body);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  // ws://127.0.0.1:PORT/devtools/page/ID
  const auto path_at = target.find('/', std::string("ws://").size());
  const std::string host = target.substr(5, path_at - 5);
  const std::string path = target.substr(path_at);
  bool done = false;
  boost::system::error_code failure;
  socket_.next_layer().async_connect({net::ip::make_address("127.0.0.1"), devtools_port},
                                     [&](boost::system::error_code connected) {
                                       if (connected) {
                                         failure = connected;
                                         done = true;
                                         return;
                                       }
                                       socket_.async_handshake(
                                           host, path, [&](boost::system::error_code shaken) {
                                             failure = shaken;
                                             done = true;
                                           });
                                     });
  run_until(done, "the DevTools WebSocket handshake");
  if (failure) throw boost::system::system_error(failure, "DevTools WebSocket");
}

devtools_page::~devtools_page() {
  boost::system::error_code ignored;
  socket_.next_layer().close(ignored);
}

void devtools_page::run_until(const bool& done, const char* what) {
  io_.restart();
  const auto deadline = clock_type::now() + timeout_;
  while (!done && clock_type::now() < deadline) io_.run_one_until(deadline);
  if (done) return;
  boost::system::error_code ignored;
  socket_.next_layer().close(ignored);
  io_.restart();
  io_.run();  // the cancelled operations finish
  throw std::runtime_error(std::string("timed out waiting for ") + what);
}

boost::json::value devtools_page::call(const std::string& method, boost::json::object params) {
  const std::int64_t id = next_id_++;
  const std::string message = boost::json::serialize(
      boost::json::object{{"id", id}, {"method", method}, {"params", std::move(params)}});
  bool done = false;
  boost::system::error_code failure;
  socket_.async_write(net::buffer(message), [&](boost::system::error_code written, std::size_t) {
    failure = written;
    done = true;
  });
  run_until(done, method.c_str());
  if (failure) throw boost::system::system_error(failure, "DevTools write of " + method);
  // Events (messages without an id) and answers to nothing we wait for are skipped.
  for (;;) {
    done = false;
    buffer_.clear();
    socket_.async_read(buffer_, [&](boost::system::error_code read, std::size_t) {
      failure = read;
      done = true;
    });
    run_until(done, method.c_str());
    if (failure) throw boost::system::system_error(failure, "DevTools read for " + method);
    auto answer = boost::json::parse(boost::beast::buffers_to_string(buffer_.data()));
    const auto& object = answer.as_object();
    if (!object.contains("id") || object.at("id").to_number<std::int64_t>() != id) continue;
    if (object.contains("error"))
      throw std::runtime_error(method + " failed: " + boost::json::serialize(object.at("error")));
    return object.at("result");
  }
}

boost::json::value devtools_page::evaluate(const std::string& expression) {
  auto result = call("Runtime.evaluate",
                     {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}});
  const auto& object = result.as_object();
  if (object.contains("exceptionDetails"))
    throw std::runtime_error("the page threw evaluating " + expression + ": " +
                             boost::json::serialize(object.at("exceptionDetails")));
  const auto& value = object.at("result").as_object();
  return value.contains("value") ? value.at("value") : boost::json::value();
}

boost::json::value devtools_page::poll(const std::string& expression,
                                       std::chrono::milliseconds limit,
                                       std::chrono::milliseconds interval) {
  const auto deadline = clock_type::now() + limit;
  for (;;) {
    auto value = evaluate(expression);
    if ((value.is_string() && !value.as_string().empty()) || (value.is_bool() && value.as_bool()))
      return value;
    if (clock_type::now() > deadline) return nullptr;
    // The page changes on its own (fetch answers, the live feed): look again shortly.
    std::this_thread::sleep_for(interval);
  }
}

}  // namespace esk::testing
