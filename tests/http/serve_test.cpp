// `users_example serve` as a child process: the standard command line serves the app, and
// SIGTERM while commands flow stops it with exit 0, losing no acknowledged command.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "../store/temporary_directory.hpp"
#include "esk/store/sqlite_store.hpp"
#include "http_test_support.hpp"
#include "serve_process.hpp"

namespace esk::testing {
namespace {

TEST(HttpServe, SigtermWhileCommandsFlowExitsZeroAndLosesNothingAcknowledged) {
  temporary_directory directory;
  const std::string db = directory.file("users.db");
  serve_process server(ESK_USERS_EXAMPLE, {"serve", "--port", "0", "--db", db});
  const auto port = server.wait_until_listening(std::chrono::seconds(30));

  constexpr int writers = 4;
  constexpr int commands_per_writer = 300;
  std::mutex mutex;
  std::condition_variable progressed;
  std::set<std::string> acknowledged;
  std::vector<std::thread> threads;
  for (int writer = 0; writer < writers; ++writer) {
    threads.emplace_back([&, writer] {
      try {
        http_client client(port);
        for (int i = 0; i < commands_per_writer; ++i) {
          const std::string id = std::to_string(writer) + "-" + std::to_string(i);
          auto answer = client.post("/commands", create_user(id));
          if (answer.status != 200) return;  // 503 shutting_down: the server is stopping
          std::lock_guard<std::mutex> lock(mutex);
          acknowledged.insert(id);
          progressed.notify_all();
        }
      } catch (const std::exception&) {
        // The server closed the connection while stopping: nothing more was acknowledged.
      }
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    ASSERT_TRUE(progressed.wait_for(lock, std::chrono::seconds(60),
                                    [&] { return acknowledged.size() >= 100; }));
  }
  server.send(SIGTERM);
  for (auto& thread : threads) thread.join();
  const int status = server.wait();
  ASSERT_TRUE(WIFEXITED(status)) << "the server did not exit; output: " << server.output();
  EXPECT_EQ(WEXITSTATUS(status), 0) << server.output();
  EXPECT_NE(server.output().find("stopped"), std::string::npos) << server.output();

  auto store = open_sqlite_store(db);
  ASSERT_TRUE(store) << store.error_value();
  for (const auto& id : acknowledged)
    EXPECT_EQ(*(*store)->stream_version("User-" + id), 1u) << "acknowledged User " << id;
}

TEST(HttpServe, ServeOnAnAddressInUseFailsWithTheReason) {
  temporary_directory directory;
  serve_process first(ESK_USERS_EXAMPLE, {"serve", "--port", "0", "--db", directory.file("a.db")});
  const auto port = first.wait_until_listening(std::chrono::seconds(30));
  serve_process second(ESK_USERS_EXAMPLE,
                       {"serve", "--port", std::to_string(port), "--db", directory.file("b.db")});
  const int status = second.wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0);
  first.send(SIGINT);
  EXPECT_EQ(WEXITSTATUS(first.wait()), 0);
}

}  // namespace
}  // namespace esk::testing
