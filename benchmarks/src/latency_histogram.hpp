// latency_histogram.hpp — a fixed-size, log-linear latency histogram that several threads may
// record into at once (HdrHistogram-style: about 3 % relative precision, no per-sample storage).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace esk::bench {

class latency_histogram {
 public:
  latency_histogram() { clear(); }
  latency_histogram(const latency_histogram&) = delete;
  latency_histogram& operator=(const latency_histogram&) = delete;

  // Adds one sample. Thread-safe, lock-free, never allocates.
  void record(std::chrono::nanoseconds latency);

  // Forgets every sample. REQUIRES: no concurrent record().
  void clear();

  // The number of samples recorded.
  std::uint64_t count() const;

  // The latency at `quantile` (0..1, e.g. 0.99), as the middle of its bucket; zero when empty.
  // REQUIRES: no concurrent record() if the answer must be exact.
  std::chrono::nanoseconds quantile(double quantile) const;

 private:
  // Values below 64 ns get a bucket each; above, 32 buckets per power of two.
  static constexpr int linear_buckets = 64;
  static constexpr int sub_bucket_bits = 5;
  static constexpr int bucket_count = linear_buckets + (64 - 6) * (1 << sub_bucket_bits);

  static int bucket_of(std::uint64_t nanoseconds);
  static std::uint64_t middle_of(int bucket);

  std::array<std::atomic<std::uint64_t>, bucket_count> counts_;
};

}  // namespace esk::bench
