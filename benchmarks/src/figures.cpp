#include "figures.hpp"

namespace esk::bench {

void set_latency(figure& row, const latency_histogram& latency) {
  if (latency.count() == 0) return;
  auto micros = [&](double q) { return latency.quantile(q).count() / 1000.0; };
  row.p50_us = micros(0.50);
  row.p99_us = micros(0.99);
  row.p999_us = micros(0.999);
}

std::string baseline_key(const figure& baseline) {
  return baseline.store == "-" ? baseline.name : baseline.name + "@" + baseline.store;
}

void judge(std::vector<figure>& rows) {
  std::map<std::string, double> baselines;
  for (const auto& row : rows)
    if (row.name.rfind("baseline/", 0) == 0) baselines[baseline_key(row)] = row.judged_rate();
  for (auto& row : rows) {
    for (const auto& key : row.limit_keys) {
      auto found = baselines.find(key);
      if (found == baselines.end()) continue;
      if (!row.limit_rate || found->second < *row.limit_rate) {
        row.limit_rate = found->second;
        row.limit_key = key;
      }
    }
  }
}

}  // namespace esk::bench
