#include "http_metrics.hpp"

#include <cstdio>

namespace esk::http_detail {

std::string prometheus_label(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    if (c == '\\' || c == '"') escaped.push_back('\\');
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped.push_back(c);
  }
  return escaped;
}

void write_group_commit_metrics(const group_commit_statistics& stats, std::string& out) {
  out +=
      "# HELP esk_group_commit_batch_size Appends (one per command) per store transaction.\n"
      "# TYPE esk_group_commit_batch_size histogram\n";
  const auto& bounds = group_commit_statistics::batch_size_bounds;
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    cumulative += stats.batches_by_size[i];
    out += "esk_group_commit_batch_size_bucket{le=\"" + std::to_string(bounds[i]) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  // Summed from the buckets, so +Inf and _count agree even when read mid-batch.
  cumulative += stats.batches_by_size.back();
  out += "esk_group_commit_batch_size_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out += "esk_group_commit_batch_size_sum " + std::to_string(stats.appends) + "\n";
  out += "esk_group_commit_batch_size_count " + std::to_string(cumulative) + "\n";
  out +=
      "# HELP esk_group_commit_events_total Events committed by the store transactions.\n"
      "# TYPE esk_group_commit_events_total counter\n"
      "esk_group_commit_events_total " +
      std::to_string(stats.events) + "\n";
}

void http_metrics::count_command(const std::string& type, const std::string& outcome,
                                 std::chrono::steady_clock::duration latency) {
  const double seconds = std::chrono::duration<double>(latency).count();
  std::lock_guard<std::mutex> lock(mutex_);
  ++commands_[{type, outcome}];
  for (std::size_t i = 0; i < latency_buckets.size(); ++i)
    if (seconds <= latency_buckets[i]) ++bucket_counts_[i];
  ++latency_count_;
  latency_sum_seconds_ += seconds;
}

void http_metrics::write_prometheus(std::string& out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  out += "# HELP esk_commands_total Commands sent through HTTP, by type and outcome.\n";
  out += "# TYPE esk_commands_total counter\n";
  for (const auto& [key, count] : commands_) {
    out += "esk_commands_total{type=\"" + prometheus_label(key.first) + "\",outcome=\"" +
           prometheus_label(key.second) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP esk_command_duration_seconds Time from receiving a command to its answer.\n";
  out += "# TYPE esk_command_duration_seconds histogram\n";
  for (std::size_t i = 0; i < latency_buckets.size(); ++i) {
    std::string bound = std::to_string(latency_buckets[i]);
    while (bound.size() > 1 && bound.back() == '0') bound.pop_back();
    if (bound.back() == '.') bound.pop_back();
    out += "esk_command_duration_seconds_bucket{le=\"" + bound + "\"} " +
           std::to_string(bucket_counts_[i]) + "\n";
  }
  out +=
      "esk_command_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(latency_count_) + "\n";
  out += "esk_command_duration_seconds_sum " + std::to_string(latency_sum_seconds_) + "\n";
  out += "esk_command_duration_seconds_count " + std::to_string(latency_count_) + "\n";
}

void write_gap_wait_metrics(const gap_wait_statistics& stats, std::string& out) {
  out +=
      "# HELP esk_store_gap_waits_total Append transactions that waited for other appends to end"
      " (the append lock).\n"
      "# TYPE esk_store_gap_waits_total counter\n"
      "esk_store_gap_waits_total " +
      std::to_string(stats.waits) + "\n";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.6f",
                std::chrono::duration<double>(stats.total).count());
  out +=
      "# HELP esk_store_gap_wait_seconds_total How long those appends waited, summed.\n"
      "# TYPE esk_store_gap_wait_seconds_total counter\n"
      "esk_store_gap_wait_seconds_total " +
      std::string(seconds) + "\n";
}

}  // namespace esk::http_detail
