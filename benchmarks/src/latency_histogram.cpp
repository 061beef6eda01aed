#include "latency_histogram.hpp"

#include <cmath>

namespace esk::bench {

int latency_histogram::bucket_of(std::uint64_t nanoseconds) {
  if (nanoseconds < linear_buckets) return static_cast<int>(nanoseconds);
  const int exponent = 63 - __builtin_clzll(nanoseconds);  // >= 6
  const int shift = exponent - sub_bucket_bits;
  const int sub = static_cast<int>((nanoseconds >> shift) & ((1u << sub_bucket_bits) - 1));
  return linear_buckets + (exponent - 6) * (1 << sub_bucket_bits) + sub;
}

std::uint64_t latency_histogram::middle_of(int bucket) {
  if (bucket < linear_buckets) return static_cast<std::uint64_t>(bucket);
  const int exponent = (bucket - linear_buckets) / (1 << sub_bucket_bits) + 6;
  const int sub = (bucket - linear_buckets) % (1 << sub_bucket_bits);
  const int shift = exponent - sub_bucket_bits;
  const std::uint64_t lower = (std::uint64_t{1} << sub_bucket_bits | sub) << shift;
  return lower + (std::uint64_t{1} << shift) / 2;
}

void latency_histogram::record(std::chrono::nanoseconds latency) {
  const auto nanoseconds = static_cast<std::uint64_t>(latency.count() < 0 ? 0 : latency.count());
  counts_[bucket_of(nanoseconds)].fetch_add(1, std::memory_order_relaxed);
}

void latency_histogram::clear() {
  for (auto& count : counts_) count.store(0, std::memory_order_relaxed);
}

std::uint64_t latency_histogram::count() const {
  std::uint64_t total = 0;
  for (const auto& count : counts_) total += count.load(std::memory_order_relaxed);
  return total;
}

std::chrono::nanoseconds latency_histogram::quantile(double quantile) const {
  const std::uint64_t total = count();
  if (total == 0) return std::chrono::nanoseconds{0};
  auto rank = static_cast<std::uint64_t>(std::ceil(quantile * static_cast<double>(total)));
  if (rank == 0) rank = 1;
  std::uint64_t seen = 0;
  for (int bucket = 0; bucket < bucket_count; ++bucket) {
    seen += counts_[bucket].load(std::memory_order_relaxed);
    if (seen >= rank) return std::chrono::nanoseconds{static_cast<std::int64_t>(middle_of(bucket))};
  }
  return std::chrono::nanoseconds{static_cast<std::int64_t>(middle_of(bucket_count - 1))};
}

}  // namespace esk::bench
