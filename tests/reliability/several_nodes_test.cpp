// Several nodes, one store: three processes run the runtime on one PostgreSQL database and
// Deposits go to the same six accounts with the conflict retry on; one of them is killed
// (SIGKILL) mid-load. The others carry on; no acknowledged update is lost or applied twice; every
// stream's versions are gap-free; each surviving node's read model, brought up to date by the
// store's commit announcements, equals what the log says. Twice: with each node sending its own
// commands, and with the nodes behind their HTTP fronts and the test as their clients.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../store/temporary_directory.hpp"
#include "child_process.hpp"
#include "esk/store/postgres_store.hpp"
#include "http_client.hpp"
#include "postgres_test_server.hpp"
#include "serve_process.hpp"
#include "store_audit.hpp"

namespace esk::reliability {
namespace {

constexpr int commands_per_node = 300;
constexpr std::size_t acks_before_the_kill = 60;
constexpr int victim = 2;

using clock_type = std::chrono::steady_clock;

// Polls `done` (another process's progress, which no event reports) for up to a minute.
template <class Done>
bool within_a_minute(Done done) {
  const auto deadline = clock_type::now() + std::chrono::minutes(1);
  while (!done()) {
    if (clock_type::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

struct acknowledged {
  std::string account;
  std::int64_t amount = 0;
};

// The ack file's lines "<command-id> <account> <amount>", by command ID.
std::map<std::string, acknowledged> read_acks(const std::string& path) {
  std::map<std::string, acknowledged> acks;
  for (const auto& line : complete_lines(path)) {
    std::istringstream fields{line};
    std::string id;
    acknowledged ack;
    fields >> id >> ack.account >> ack.amount;
    acks[id] = ack;
  }
  return acks;
}

// A node's read model: balance by stream ("Account-<id>"), and how many events it applied.
struct read_model {
  std::map<std::string, std::int64_t> balances;
  std::int64_t applied = -1;
};

read_model read_balances(const std::string& path) {
  read_model model;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return model;
  }
  sqlite3_stmt* rows = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT account_id, balance FROM balances", -1, &rows, nullptr) ==
      SQLITE_OK) {
    while (sqlite3_step(rows) == SQLITE_ROW)
      model.balances["Account-" +
                     std::string(reinterpret_cast<const char*>(sqlite3_column_text(rows, 0)))] =
          sqlite3_column_int64(rows, 1);
  }
  sqlite3_finalize(rows);
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM applied", -1, &rows, nullptr) == SQLITE_OK &&
      sqlite3_step(rows) == SQLITE_ROW)
    model.applied = sqlite3_column_int64(rows, 0);
  sqlite3_finalize(rows);
  sqlite3_close(db);
  return model;
}

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// The audited log holds every command of `acks` exactly once, on its account's stream.
void expect_each_once_in_the_log(const store_audit& audit,
                                 const std::map<std::string, acknowledged>& acks) {
  for (const auto& [id, ack] : acks) {
    auto found = audit.commands.find(id);
    if (found == audit.commands.end()) {
      ADD_FAILURE() << "acknowledged " << id << " is not in the log";
      continue;
    }
    EXPECT_EQ(found->second.stream, "Account-" + ack.account) << id;
    EXPECT_EQ(found->second.versions.size(), 1u) << id << " was applied more than once";
  }
}

// The audited log is whole: its invariants hold, it ends at `last`, no command applied twice.
void expect_a_whole_log(const store_audit& audit, std::uint64_t last) {
  EXPECT_TRUE(audit.problems.empty()) << "first problem: " << audit.problems.front();
  EXPECT_EQ(audit.event_count, last);
  for (const auto& [id, footprint] : audit.commands)
    EXPECT_EQ(footprint.versions.size(), 1u) << id << " was applied more than once";
}

// Node `node`'s read model in `path` applied the whole log up to `last` and equals it.
void expect_read_model_of_the_log(const std::string& path, int node, const store_audit& audit,
                                  std::uint64_t last) {
  const read_model model = read_balances(path);
  EXPECT_EQ(model.applied, static_cast<std::int64_t>(last)) << "node " << node;
  EXPECT_EQ(model.balances, audit.balances) << "node " << node << "'s read model";
}

TEST(SeveralNodes, ThreeNodesOnOneStoreLoseNoAcknowledgedUpdateAndAgreeOnTheReadModel) {
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  testing::temporary_directory directory;
  // Created once here, so the nodes do not race through creating the schema.
  auto store = open_postgres_store(url);
  ASSERT_TRUE(store.ok()) << store.error_value();
  const std::string finish = directory.file("finish");
  auto ack_file = [&](int node) {
    return directory.file("node-" + std::to_string(node) + ".acks");
  };
  auto model_file = [&](int node) {
    return directory.file("node-" + std::to_string(node) + ".db");
  };
  std::vector<std::unique_ptr<child_process>> nodes;
  for (int node = 0; node < 3; ++node)
    nodes.push_back(std::make_unique<child_process>(
        ESK_RELIABILITY_NODE, std::vector<std::string>{url, "node" + std::to_string(node),
                                                       std::to_string(commands_per_node),
                                                       ack_file(node), model_file(node), finish}));

  // Mid-load, the victim dies with its commands in flight.
  ASSERT_TRUE(within_a_minute([&] {
    return complete_lines(ack_file(victim)).size() >= acks_before_the_kill ||
           !nodes[victim]->running();
  }));
  ASSERT_TRUE(nodes[victim]->running()) << "the victim ended before the kill";
  nodes[victim]->kill_hard();
  const int victim_status = nodes[victim]->wait();
  EXPECT_TRUE(WIFSIGNALED(victim_status) && WTERMSIG(victim_status) == SIGKILL)
      << describe_wait_status(victim_status);

  // The others finish their load; then they are told the log's end and catch up to it.
  ASSERT_TRUE(within_a_minute([&] {
    return (exists(ack_file(0) + ".loaded") || !nodes[0]->running()) &&
           (exists(ack_file(1) + ".loaded") || !nodes[1]->running());
  }));
  auto last = (*store)->last_position();
  ASSERT_TRUE(last.ok()) << last.error_value();
  { std::ofstream{finish + ".tmp"} << *last << "\n"; }
  ASSERT_EQ(std::rename((finish + ".tmp").c_str(), finish.c_str()), 0);
  for (int node = 0; node < 2; ++node) {
    const int status = nodes[node]->wait();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "node " << node << ": " << describe_wait_status(status);
  }

  const store_audit audit = audit_store(**store);
  expect_a_whole_log(audit, *last);
  for (int node = 0; node < 3; ++node) {
    const auto acks = read_acks(ack_file(node));
    if (node != victim) {
      EXPECT_EQ(acks.size(), static_cast<std::size_t>(commands_per_node))
          << "node " << node << " had commands fail (see its stderr)";
    }
    expect_each_once_in_the_log(audit, acks);
  }
  for (int node = 0; node < 2; ++node)
    expect_read_model_of_the_log(model_file(node), node, audit, *last);
}

// One HTTP client's share of the load: what it sent and how each ended.
struct client_record {
  std::map<std::string, acknowledged> acks;  // answered 200, by Idempotency-Key
  std::vector<std::string> failures;         // any other answer: "<key>: <status> <body>"
  std::string cut_off;                       // why the connection ended early, if it did
};

// The position the projection `name` has applied, as the node's GET /health says; 0 when the
// answer does not say.
std::uint64_t projection_position(testing::http_client& http, const std::string& name) {
  const auto health = http.get("/health");
  boost::system::error_code failed;
  const auto parsed = boost::json::parse(health.body, failed);
  if (failed || !parsed.is_object()) return 0;
  const auto* projections = parsed.as_object().if_contains("projections");
  if (!projections || !projections->is_array()) return 0;
  for (const auto& projection : projections->as_array()) {
    const auto* fields = projection.if_object();
    const auto* named = fields ? fields->if_contains("name") : nullptr;
    if (!named || !named->is_string() || named->get_string() != name) continue;
    const auto* position = fields->if_contains("position");
    if (position && position->is_int64()) return static_cast<std::uint64_t>(position->as_int64());
    if (position && position->is_uint64()) return position->as_uint64();
  }
  return 0;
}

// The same guarantees with the HTTP front in the path: three `esk_reliability_node --serve`
// processes on one database, three keep-alive clients per node sending Deposits to the same six
// accounts with an Idempotency-Key each (one command at a time per client, nine at once in
// all), the victim node SIGKILLed once it has acknowledged some. A command counts as
// acknowledged when its answer was 200.
TEST(SeveralNodes, ThreeNodesBehindHttpLoseNoAcknowledgedCommandWhenOneIsKilled) {
  constexpr int clients_per_node = 3;
  constexpr int commands_per_client = 100;
  constexpr int accounts = 6;
  const std::string url = testing::postgres_url_or_skip();
  if (url.empty()) return;
  testing::temporary_directory directory;
  // Created once here, so the nodes do not race through creating the schema.
  auto store = open_postgres_store(url);
  ASSERT_TRUE(store.ok()) << store.error_value();
  auto model_file = [&](int node) {
    return directory.file("node-" + std::to_string(node) + ".db");
  };
  std::vector<std::unique_ptr<testing::serve_process>> nodes;
  std::vector<std::uint16_t> ports;
  for (int node = 0; node < 3; ++node) {
    nodes.push_back(std::make_unique<testing::serve_process>(
        ESK_RELIABILITY_NODE, std::vector<std::string>{"--serve", url, model_file(node)}));
    ports.push_back(nodes.back()->wait_until_listening(std::chrono::seconds(30)));
  }

  std::vector<client_record> records(3 * clients_per_node);
  std::atomic<std::size_t> victim_acks{0};
  std::vector<std::thread> clients;
  for (int node = 0; node < 3; ++node) {
    for (int client = 0; client < clients_per_node; ++client) {
      clients.emplace_back([&, node, client] {
        client_record& record = records[node * clients_per_node + client];
        try {
          testing::http_client http{ports[node]};
          for (int n = 0; n < commands_per_client; ++n) {
            const std::string key = "node" + std::to_string(node) + "-" + std::to_string(client) +
                                    "-" + std::to_string(n);
            const acknowledged deposit{"acct-" + std::to_string((n + client) % accounts),
                                       n % 5 + 1};
            const auto answer =
                http.post("/commands",
                          R"({"type":"Deposit","payload":{"account_id":")" + deposit.account +
                              R"(","amount":)" + std::to_string(deposit.amount) + "}}",
                          {{"Idempotency-Key", key}});
            if (answer.status != 200) {
              record.failures.push_back(key + ": " + std::to_string(answer.status) + " " +
                                        answer.body);
              continue;
            }
            record.acks[key] = deposit;
            if (node == victim) ++victim_acks;
          }
        } catch (const std::exception& ended) {
          record.cut_off = ended.what();
        }
      });
    }
  }

  // Mid-load, the victim dies with commands in flight; its clients' connections break.
  const bool victim_loaded = within_a_minute([&] { return victim_acks >= acks_before_the_kill; });
  nodes[victim]->send(SIGKILL);
  const int victim_status = nodes[victim]->wait();
  for (auto& client : clients) client.join();
  ASSERT_TRUE(victim_loaded) << "the victim acknowledged too little within a minute";
  EXPECT_TRUE(WIFSIGNALED(victim_status) && WTERMSIG(victim_status) == SIGKILL)
      << describe_wait_status(victim_status);
  std::size_t victim_acknowledged = 0;
  for (int node = 0; node < 3; ++node) {
    for (int client = 0; client < clients_per_node; ++client) {
      const client_record& record = records[node * clients_per_node + client];
      if (node == victim) {
        victim_acknowledged += record.acks.size();
        continue;
      }
      EXPECT_EQ(record.cut_off, "") << "node " << node << " client " << client;
      EXPECT_TRUE(record.failures.empty())
          << "node " << node << " client " << client << ": " << record.failures.front();
      EXPECT_EQ(record.acks.size(), static_cast<std::size_t>(commands_per_client));
    }
  }
  EXPECT_LT(victim_acknowledged, static_cast<std::size_t>(clients_per_node * commands_per_client))
      << "the kill came after the victim's whole load";

  // The survivors' read models catch up to the log's end (told by the store's announcements),
  // as each node's /health says; then they stop on SIGTERM, cleanly.
  auto last = (*store)->last_position();
  ASSERT_TRUE(last.ok()) << last.error_value();
  for (int node = 0; node < 3; ++node) {
    if (node == victim) continue;
    testing::http_client http{ports[node]};
    EXPECT_TRUE(within_a_minute([&] { return projection_position(http, "balances") >= *last; }))
        << "node " << node << "'s read model stayed at " << projection_position(http, "balances")
        << " of " << *last;
    nodes[node]->send(SIGTERM);
    const int status = nodes[node]->wait();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "node " << node << ": " << describe_wait_status(status);
  }

  const store_audit audit = audit_store(**store);
  expect_a_whole_log(audit, *last);
  for (const auto& record : records) expect_each_once_in_the_log(audit, record.acks);
  for (int node = 0; node < 3; ++node) {
    if (node != victim) expect_read_model_of_the_log(model_file(node), node, audit, *last);
  }
}

}  // namespace
}  // namespace esk::reliability
