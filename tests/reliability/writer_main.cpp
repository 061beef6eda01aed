// esk_reliability_writer — the child process of the crash, two-writer and store-creation
// tests. It runs a runtime on a SQLite store file and sends Account commands as fast as it can,
// or (create) opens a store as several processes do at once and appends to it.
//
//   esk_reliability_writer crash <db> <ack-file> <run-id>
//       Sends Deposit / DepositTwice commands forever (until killed), 32 in flight. After the
//       runtime acknowledged a command, appends "<command-id>\n" to <ack-file> and fsyncs it.
//       IDs of DepositTwice commands end in "-pair". Exits 3 if any command fails.
//   esk_reliability_writer contend <db> <out-file> <ready-file> <go-file> <writer> <count>
//   <retries>
//       Creates <ready-file>, waits for <go-file>, sends one Deposit to each of three accounts,
//       creates <ready-file>.2, waits for <go-file>.2, then sends the rest of <count> Deposits
//       (8 in flight) with runtime_options::conflict_retries = <retries>, and
//       writes one line per command to <out-file>: "<command-id> <account> <amount> <outcome>"
//       where outcome is "ok" or the error kind. Exits 0 when every outcome is written.
//   esk_reliability_writer project <db> <read-model> <catch-up|live>
//       Runs the balances projection (balances_read_model.hpp) into <read-model> until killed;
//       with "live" it also sends Deposit commands, one at a time, forever.
//   esk_reliability_writer create <db> <ready-file> <go-file> <stream>
//       Creates <ready-file>, waits for <go-file>, then opens <db> (creating the store if it
//       is missing or empty) and appends one event to the new stream <stream>. Exits 0 on
//       success, 3 with the error on stderr if opening or appending fails.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "balances_read_model.hpp"
#include "ledger.hpp"

namespace {

using esk::reliability::Deposit;
using esk::reliability::DepositTwice;

// Outcomes handed from actor threads (command callbacks must not block) to the main thread.
struct outcome_queue {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::string> lines;
  std::size_t in_flight = 0;

  void push(std::string line) {
    std::lock_guard lock(mutex);
    lines.push_back(std::move(line));
    --in_flight;
    changed.notify_one();
  }
};

std::shared_ptr<esk::event_store> open_or_die(const std::string& path) {
  auto store = esk::open_sqlite_store(path);
  if (!store) {
    std::fprintf(stderr, "writer: cannot open %s: %s\n", path.c_str(),
                 store.error_value().message.c_str());
    std::exit(2);
  }
  return *store;
}

void write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    ssize_t step = ::write(fd, text.data() + written, text.size() - written);
    if (step < 0) {
      std::perror("writer: write");
      std::exit(2);
    }
    written += static_cast<std::size_t>(step);
  }
}

int run_crash_writer(const std::string& db, const std::string& ack_path, const std::string& run) {
  int ack_file = ::open(ack_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (ack_file < 0) {
    std::perror("writer: open ack file");
    return 2;
  }
  outcome_queue acks;  // declared before the runtime: callbacks use it until the runtime ends
  esk::runtime rt{open_or_die(db), esk::runtime_options{2}};
  esk::reliability::register_account(rt);
  constexpr std::size_t window = 32;
  for (std::uint64_t next = 0;;) {
    std::string batch;
    {
      std::unique_lock lock(acks.mutex);
      acks.changed.wait(lock, [&] { return acks.in_flight < window || !acks.lines.empty(); });
      for (auto& line : acks.lines) batch += line + '\n';
      acks.lines.clear();
    }
    if (!batch.empty()) {
      write_all(ack_file, batch);
      ::fdatasync(ack_file);
    }
    for (;; ++next) {
      {
        std::lock_guard lock(acks.mutex);
        if (acks.in_flight >= window) break;
        ++acks.in_flight;
      }
      const bool pair = next % 2 == 1;
      esk::command_options ids;
      ids.command_id = run + "-" + std::to_string(next) + (pair ? "-pair" : "");
      const std::string account = "acct-" + std::to_string(next % 17);
      const auto amount = static_cast<std::int64_t>(next % 100 + 1);
      auto on_done = [&acks, id = ids.command_id](esk::command_result outcome) {
        if (!outcome) {
          std::fprintf(stderr, "writer: %s failed: %s\n", id.c_str(),
                       outcome.error_value().message.c_str());
          std::_Exit(3);
        }
        acks.push(id);
      };
      if (pair)
        rt.send(DepositTwice{account, amount}, on_done, ids);
      else
        rt.send(Deposit{account, amount}, on_done, ids);
    }
  }
}

// Creates `ready_path`, then waits until the test creates `go_path`.
void meet_at_barrier(const std::string& ready_path, const std::string& go_path) {
  std::ofstream{ready_path} << "ready\n";
  while (::access(go_path.c_str(), F_OK) != 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// Sends Deposits number `from` to `to` - 1 (8 in flight) and writes each outcome to `out`.
// Returns once every outcome is written.
void send_deposits(esk::runtime& rt, outcome_queue& outcomes, const std::string& writer,
                   std::size_t from, std::size_t to, std::ofstream& out) {
  constexpr std::size_t window = 8;
  std::size_t written = from;
  for (std::size_t next = from; written < to;) {
    std::vector<std::string> lines;
    {
      std::unique_lock lock(outcomes.mutex);
      outcomes.changed.wait(lock, [&] {
        return (next < to && outcomes.in_flight < window) || !outcomes.lines.empty();
      });
      lines.assign(outcomes.lines.begin(), outcomes.lines.end());
      outcomes.lines.clear();
    }
    for (const auto& line : lines) out << line << '\n';
    written += lines.size();
    for (; next < to; ++next) {
      {
        std::lock_guard lock(outcomes.mutex);
        if (outcomes.in_flight >= window) break;
        ++outcomes.in_flight;
      }
      esk::command_options ids;
      ids.command_id = writer + "-" + std::to_string(next);
      const std::string account = "acct-" + std::to_string(next % 3);
      const auto amount = static_cast<std::int64_t>(next + 1);
      const std::string prefix =
          ids.command_id + " " + account + " " + std::to_string(amount) + " ";
      rt.send(
          Deposit{account, amount},
          [&outcomes, prefix](esk::command_result outcome) {
            outcomes.push(prefix + (outcome ? std::string("ok")
                                            : std::string(esk::to_string(outcome.kind()))));
          },
          ids);
    }
  }
}

int run_contending_writer(const std::vector<std::string>& args) {
  const std::string& db = args[0];
  const std::string& out_path = args[1];
  const std::string& ready_path = args[2];
  const std::string& go_path = args[3];
  const std::string& writer = args[4];
  const auto count = std::max<std::size_t>(3, std::stoul(args[5]));
  const auto retries = std::stoul(args[6]);

  outcome_queue outcomes;  // declared before the runtime: callbacks use it until the runtime ends
  esk::runtime_options options;
  options.worker_threads = 2;
  options.conflict_retries = retries;
  esk::runtime rt{open_or_die(db), options};
  esk::reliability::register_account(rt);
  std::ofstream out(out_path);
  // Both writers start together, so their commands really interleave. First each writes once
  // to every account and waits for the other to do the same: then, for every account, one
  // writer holds a stale copy (or already lost a race), so a conflict is certain, not likely.
  meet_at_barrier(ready_path, go_path);
  send_deposits(rt, outcomes, writer, 0, 3, out);
  meet_at_barrier(ready_path + ".2", go_path + ".2");
  send_deposits(rt, outcomes, writer, 3, count, out);
  out.flush();
  return out ? 0 : 2;
}

// One of several processes that open the same fresh store at once and append to it: the
// store alone, no runtime, so the race is between the processes' schema creation.
int run_creating_writer(const std::string& db, const std::string& ready_path,
                        const std::string& go_path, const std::string& stream) {
  meet_at_barrier(ready_path, go_path);
  auto store = esk::open_sqlite_store(db);
  if (!store) {
    std::fprintf(stderr, "writer %s: cannot open %s: %s\n", stream.c_str(), db.c_str(),
                 store.error_value().message.c_str());
    return 3;
  }
  esk::new_event created{"Created", "{}", {stream + "-event", stream, stream, stream, ""}};
  created.metadata.recorded_at = "2026-11-25T17:07:34.123Z";
  auto appended = (*store)->append({stream, 0, {created}});
  if (!appended) {
    std::fprintf(stderr, "writer %s: cannot append: %s\n", stream.c_str(),
                 appended.error_value().message.c_str());
    return 3;
  }
  return 0;
}

// Runs the balances projection until killed, sending Deposits too when `live`.
int run_projecting_process(const std::string& db, const std::string& read_model, bool live) {
  esk::runtime rt{open_or_die(db), esk::runtime_options{2}};
  esk::reliability::register_account(rt);
  esk::reliability::add_balances_projection(rt, "balances", read_model);
  for (std::int64_t next = 0;; ++next) {
    if (!live) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    auto done = rt.execute(Deposit{"acct-" + std::to_string(next % 13), next % 50 + 1});
    if (!done) {
      std::fprintf(stderr, "writer: deposit failed: %s\n", done.error_value().message.c_str());
      return 3;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 4 && args[0] == "crash") return run_crash_writer(args[1], args[2], args[3]);
  if (args.size() == 8 && args[0] == "contend")
    return run_contending_writer({args.begin() + 1, args.end()});
  if (args.size() == 4 && args[0] == "project")
    return run_projecting_process(args[1], args[2], args[3] == "live");
  if (args.size() == 5 && args[0] == "create")
    return run_creating_writer(args[1], args[2], args[3], args[4]);
  std::fprintf(stderr,
               "usage: esk_reliability_writer crash <db> <ack-file> <run-id>\n"
               "       esk_reliability_writer contend <db> <out> <ready> <go> <writer> <count> "
               "<retries>\n"
               "       esk_reliability_writer project <db> <read-model> <catch-up|live>\n"
               "       esk_reliability_writer create <db> <ready> <go> <stream>\n");
  return 64;
}
