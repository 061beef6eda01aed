// What the HTTP layer counts for GET /metrics: commands by type and outcome, and their latency.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "esk/actors/group_commit_statistics.hpp"
#include "esk/store/event_store.hpp"

namespace esk::http_detail {

// Counters and a latency histogram of the commands sent through HTTP. Thread-safe.
class http_metrics {
 public:
  // Upper bounds of the latency histogram's buckets, in seconds (and +Inf).
  static constexpr std::array<double, 12> latency_buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                          0.05,   0.1,   0.25,   0.5,   1,    2.5};

  // Counts one command of `type` answered with `outcome` ("ok" or an error kind's name) after
  // `latency`.
  void count_command(const std::string& type, const std::string& outcome,
                     std::chrono::steady_clock::duration latency);

  // Appends the counters and the histogram in Prometheus' text format (version 0.0.4).
  void write_prometheus(std::string& out) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> commands_;
  std::array<std::uint64_t, latency_buckets.size()> bucket_counts_{};
  std::uint64_t latency_count_ = 0;
  double latency_sum_seconds_ = 0;
};

// Appends `stats` in Prometheus' text format: the histogram esk_group_commit_batch_size
// (appends per store transaction) and the counter esk_group_commit_events_total.
void write_group_commit_metrics(const group_commit_statistics& stats, std::string& out);

// Appends `stats` in Prometheus' text format: the counters esk_store_gap_waits_total (append
// transactions that waited for others to end) and esk_store_gap_wait_seconds_total.
void write_gap_wait_metrics(const gap_wait_statistics& stats, std::string& out);

// `text` escaped as a Prometheus label value (backslash, double quote, new line).
std::string prometheus_label(const std::string& text);

}  // namespace esk::http_detail
