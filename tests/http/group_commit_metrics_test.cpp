// GET /metrics reports the group commit: a histogram of appends per store transaction that
// matches the batches the store was handed, after commands sent concurrently over HTTP.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "esk/store/forwarding_store.hpp"
#include "http_test_support.hpp"

namespace esk::testing {
namespace {

// Records the size of every batch it is handed, and takes a little while to commit (as a
// disk would), so that concurrent commands queue up behind a commit and group.
class batch_recording_store final : public forwarding_store {
 public:
  batch_recording_store() : forwarding_store(make_memory_store()) {}

  std::vector<result<std::vector<recorded_event>>> append_batch(
      const std::vector<append_request>& requests) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      sizes_.push_back(requests.size());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return forwarding_store::append_batch(requests);
  }

  std::vector<std::size_t> batch_sizes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sizes_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::size_t> sizes_;
};

// The value of the sample line `name` (e.g. `esk_group_commit_batch_size_count`) in `text`,
// or -1 when absent.
long long sample(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + name.size() + 2));
}

TEST(HttpGroupCommitMetrics, BatchSizeHistogramMatchesTheTransactionsOfConcurrentCommands) {
  auto store = std::make_shared<batch_recording_store>();
  served_runtime served(served_runtime::loopback(), store);
  constexpr int clients = 8;
  constexpr int commands_per_client = 20;
  std::vector<std::thread> senders;
  std::vector<int> accepted(clients, 0);
  for (int c = 0; c < clients; ++c) {
    senders.emplace_back([&, c] {
      auto client = served.client();
      for (int i = 0; i < commands_per_client; ++i) {
        const auto id = std::to_string(c) + "-" + std::to_string(i);
        if (client.post("/commands", create_user(id)).status == 200) ++accepted[c];
      }
    });
  }
  for (auto& sender : senders) sender.join();
  for (int c = 0; c < clients; ++c) ASSERT_EQ(accepted[c], commands_per_client);

  const auto answer = served.client().get("/metrics");
  ASSERT_EQ(answer.status, 200);
  const auto& text = answer.body;
  EXPECT_NE(text.find("\n# TYPE esk_group_commit_batch_size histogram\n"), std::string::npos)
      << text;

  // What the store saw, bucketed as the metric is.
  const auto sizes = store->batch_sizes();
  std::size_t appends = 0;
  for (auto size : sizes) appends += size;
  EXPECT_EQ(appends, static_cast<std::size_t>(clients * commands_per_client));
  EXPECT_EQ(sample(text, "esk_group_commit_batch_size_sum"), static_cast<long long>(appends))
      << text;
  EXPECT_EQ(sample(text, "esk_group_commit_batch_size_count"), static_cast<long long>(sizes.size()))
      << text;
  EXPECT_EQ(sample(text, "esk_group_commit_batch_size_bucket{le=\"+Inf\"}"),
            static_cast<long long>(sizes.size()))
      << text;
  EXPECT_EQ(sample(text, "esk_group_commit_events_total"), clients * commands_per_client) << text;
  for (std::uint64_t bound : group_commit_statistics::batch_size_bounds) {
    long long at_most = 0;
    for (auto size : sizes) at_most += size <= bound ? 1 : 0;
    EXPECT_EQ(
        sample(text, "esk_group_commit_batch_size_bucket{le=\"" + std::to_string(bound) + "\"}"),
        at_most)
        << "bucket le=" << bound << "\n"
        << text;
  }
  std::size_t largest = 0;
  for (auto size : sizes) largest = std::max(largest, size);
  std::cout << sizes.size() << " transactions for " << appends << " commands, the largest "
            << largest << "\n";
}

}  // namespace
}  // namespace esk::testing
