// esk_reliability_node — one node of the several-nodes test: a runtime on a shared PostgreSQL
// store that sends Deposit commands to accounts the other nodes write to as well, with the
// conflict retry on, and keeps the balances read model of its own.
//
//   esk_reliability_node <store-url> <node> <commands> <ack-file> <read-model> <finish-file>
//       Sends <commands> Deposits ("<node>-<n>" as command ID, to one of six accounts, 8 in
//       flight, conflict_retries 100), appending "<command-id> <account> <amount>\n" to
//       <ack-file> once each is acknowledged (and "failed <command-id> <kind>" to stderr
//       otherwise). Then creates "<ack-file>.loaded", waits for <finish-file> (the log's final
//       last position, written by the test once every node is done), waits until its
//       projection has applied that position (no sync: the store's commit announcements bring
//       the other nodes' events), and exits 0. Exits 3 when its projection stopped, 4 when a
//       wait outlasted a minute, 2 when the store cannot be opened.
//
//   esk_reliability_node --serve <store-url> <read-model>
//       The same runtime (conflict_retries 100, the balances read model) behind the HTTP front
//       on 127.0.0.1 and a free port: prints "listening on http://127.0.0.1:PORT", serves until
//       SIGTERM, then drains and exits 0 (1 when the server cannot start, 2 when the store
//       cannot be opened). The test sends the commands.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <esk/http_server.hpp>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "balances_read_model.hpp"
#include "esk/store/open_store.hpp"
#include "ledger.hpp"

namespace {

using clock_type = std::chrono::steady_clock;
constexpr std::chrono::minutes longest_wait{1};
constexpr std::size_t in_flight_limit = 8;
constexpr int accounts = 6;

// Acknowledged commands, written to the ack file by the callbacks (one write(2) per line, so a
// SIGKILL leaves only whole lines behind), and the count of commands not yet answered.
struct answers {
  explicit answers(int ack_file) : file(ack_file) {}
  const int file;
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t in_flight = 0;

  void answered(const std::string& id, const std::string& account, std::int64_t amount,
                const esk::command_result& outcome) {
    if (outcome) {
      const std::string line = id + " " + account + " " + std::to_string(amount) + "\n";
      if (::write(file, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        std::perror("node: write ack");
    } else {
      std::fprintf(stderr, "failed %s %s\n", id.c_str(),
                   std::string(esk::to_string(outcome.kind())).c_str());
    }
    std::lock_guard<std::mutex> lock{mutex};
    --in_flight;
    changed.notify_all();
  }
};

void send_deposits(esk::runtime& rt, answers& acks, const std::string& node, int commands) {
  for (int n = 0; n < commands; ++n) {
    {
      std::unique_lock<std::mutex> lock{acks.mutex};
      acks.changed.wait(lock, [&] { return acks.in_flight < in_flight_limit; });
      ++acks.in_flight;
    }
    esk::command_options ids;
    ids.command_id = node + "-" + std::to_string(n);
    const std::string account = "acct-" + std::to_string(n % accounts);
    const std::int64_t amount = n % 5 + 1;
    rt.send(
        esk::reliability::Deposit{account, amount},
        [&acks, id = ids.command_id, account, amount](esk::command_result outcome) {
          acks.answered(id, account, amount, outcome);
        },
        ids);
  }
  std::unique_lock<std::mutex> lock{acks.mutex};
  acks.changed.wait(lock, [&] { return acks.in_flight == 0; });
}

// Waits for the test's finish file; returns the final last position it holds, or 0 after a
// minute. Polls: the file comes from another process, and nothing else tells when.
std::uint64_t wait_for_finish(const std::string& path) {
  const auto deadline = clock_type::now() + longest_wait;
  while (clock_type::now() < deadline) {
    std::ifstream finish{path};
    std::uint64_t last = 0;
    if (finish >> last) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return 0;
}

// Waits until the projection applied `last`: 0 when it did, 3 when it stopped, 4 after a minute.
int wait_for_projection(esk::runtime& rt, std::uint64_t last) {
  const auto deadline = clock_type::now() + longest_wait;
  while (clock_type::now() < deadline) {
    auto statuses = rt.projection_statuses();
    if (statuses && !statuses->empty()) {
      const auto& status = statuses->front();
      if (status.state == esk::projection_state::stopped) {
        std::fprintf(stderr, "node: projection stopped at %llu\n",
                     static_cast<unsigned long long>(status.position));
        return 3;
      }
      if (status.position >= last) return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::fprintf(stderr, "node: projection did not reach %llu within a minute\n",
               static_cast<unsigned long long>(last));
  return 4;
}

// Opens the store at `url` and runs `body(rt)` on a runtime over it: two worker threads, the
// conflict retry on (100), the Account aggregate and the balances read model in `model`.
// Returns what body returns, or 2 when the store cannot be opened.
template <class Body>
int on_node_runtime(const std::string& url, const std::string& model, Body body) {
  auto store = esk::open_store(url);
  if (!store) {
    std::fprintf(stderr, "node: cannot open the store: %s\n", store.error_value().message.c_str());
    return 2;
  }
  esk::runtime_options options;
  options.worker_threads = 2;
  options.conflict_retries = 100;
  esk::runtime rt{*store, options};
  esk::reliability::register_account(rt);
  esk::reliability::add_balances_projection(rt, "balances", model, 50);
  return body(rt);
}

int run_node(const std::vector<std::string>& args) {
  const std::string &url = args[0], &node = args[1], &ack_path = args[3], &model = args[4],
                    &finish = args[5];
  const int commands = std::stoi(args[2]);
  const int ack_file = ::open(ack_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (ack_file < 0) {
    std::perror("node: open ack file");
    return 2;
  }
  answers acks{ack_file};  // before the runtime: its callbacks use it until the runtime ends
  return on_node_runtime(url, model, [&](esk::runtime& rt) {
    send_deposits(rt, acks, node, commands);
    std::ofstream{ack_path + ".loaded"} << "loaded\n";
    const std::uint64_t last = wait_for_finish(finish);
    if (last == 0) {
      std::fprintf(stderr, "node: no finish file within a minute\n");
      return 4;
    }
    return wait_for_projection(rt, last);
  });
}

int serve_node(const std::string& url, const std::string& model) {
  return on_node_runtime(url, model, [](esk::runtime& rt) {
    esk::http_options http;
    http.bind = "127.0.0.1";
    http.port = 0;
    esk::http_server server{rt, http};
    auto served = server.run([](std::uint16_t port) {
      std::cout << "listening on http://127.0.0.1:" << port << std::endl;
    });
    if (!served) {
      std::fprintf(stderr, "node: cannot serve: %s\n", served.error_value().message.c_str());
      return 1;
    }
    return 0;
  });
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 6) return run_node(args);
  if (args.size() == 3 && args[0] == "--serve") return serve_node(args[1], args[2]);
  std::fprintf(stderr,
               "usage: esk_reliability_node <store-url> <node> <commands> <ack-file> "
               "<read-model> <finish-file>\n"
               "       esk_reliability_node --serve <store-url> <read-model>\n");
  return 64;
}
