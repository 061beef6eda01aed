// figures.hpp — one measured row of the benchmark report, and the limits it is judged against.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "latency_histogram.hpp"

namespace esk::bench {

// One measurement: a workload on a store, or a raw baseline. Rates derive from the counts.
struct figure {
  std::string name;              // "users-10k/concurrent", "baseline/fdatasync", ...
  std::string store;             // "memory", "sqlite" or "-" for store-independent baselines
  std::string parameters;        // how it was run: "users=10000 commands=100000 in_flight=64"
  std::uint64_t operations = 0;  // commands for workloads; round trips, txns, syncs for baselines
  std::uint64_t events = 0;      // events written or read
  double seconds = 0;
  std::uint64_t failed = 0;                       // commands that returned an error
  std::string first_failure;                      // the first such error, for the reader
  std::optional<double> p50_us, p99_us, p999_us;  // latency per operation
  std::uint64_t peak_rss_bytes = 0;
  std::optional<double> bytes_per_aggregate;
  std::optional<double> allocations_per_operation;  // operator new calls per command
  bool events_rate_is_figure = false;   // compare events/s (not operations/s) with the limit
  std::vector<std::string> limit_keys;  // baselines bounding this figure; the lowest counts
  std::string limit_key;                // the baseline that bound it (set by judge())
  std::optional<double> limit_rate;     // its rate (set by judge())
  std::string note;

  double operations_per_second() const { return seconds > 0 ? operations / seconds : 0; }
  double events_per_second() const { return seconds > 0 ? events / seconds : 0; }
  // The rate compared with the limit: events/s or operations/s.
  double judged_rate() const {
    return events_rate_is_figure ? events_per_second() : operations_per_second();
  }
  std::optional<double> fraction_of_limit() const {
    if (!limit_rate || *limit_rate <= 0) return std::nullopt;
    return judged_rate() / *limit_rate;
  }
};

// Copies the histogram's p50/p99/p99.9 into `row` (microseconds); no-op when it is empty.
void set_latency(figure& row, const latency_histogram& latency);

// The key a baseline row is found under by limit_keys: "<name>@<store>" or "<name>".
std::string baseline_key(const figure& baseline);

// Sets limit_key and limit_rate on every row that names limits, from the baseline rows
// (rows whose name starts with "baseline/"). A baseline's rate is its judged_rate().
void judge(std::vector<figure>& rows);

}  // namespace esk::bench
