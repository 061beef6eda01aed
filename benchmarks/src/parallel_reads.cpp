#include "parallel_reads.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "latency_histogram.hpp"
#include "process_memory.hpp"

namespace esk::bench {
namespace {

using clock_type = std::chrono::steady_clock;

constexpr int reading_threads = 4;
constexpr int latency_samples = 500;

figure row_named(const std::string& name, const std::string& store, const std::string& params) {
  figure row;
  row.name = name;
  row.store = store;
  row.parameters = params;
  return row;
}

// Records the first failure of any thread into `row`.
class failure_record {
 public:
  explicit failure_record(figure& row) : row_(row) {}
  void add(const error& failure) {
    std::lock_guard lock(mutex_);
    if (row_.failed++ == 0) row_.first_failure = failure.message;
  }

 private:
  figure& row_;
  std::mutex mutex_;
};

figure read_on_several_threads(event_store& store, const std::string& store_name,
                               const std::string& stream, std::size_t stream_events) {
  figure row = row_named("baseline/read-stream-x4", store_name,
                         "stream_events=" + std::to_string(stream_events) +
                             " threads=" + std::to_string(reading_threads));
  row.events_rate_is_figure = true;
  failure_record failures(row);
  std::atomic<std::uint64_t> events{0};
  reset_peak_resident_bytes();
  const auto started = clock_type::now();
  std::vector<std::thread> readers;
  for (int i = 0; i < reading_threads; ++i) {
    readers.emplace_back([&] {
      auto read = store.read_stream(stream);
      if (!read) return failures.add(read.error_value());
      events += read->size();
    });
  }
  for (auto& reader : readers) reader.join();
  row.seconds = std::chrono::duration<double>(clock_type::now() - started).count();
  row.peak_rss_bytes = peak_resident_bytes();
  row.operations = reading_threads;
  row.events = events;
  return row;
}

figure read_beside_a_long_read(event_store& store, const std::string& store_name,
                               const std::string& stream, std::size_t stream_events) {
  figure row = row_named("baseline/read-beside-long", store_name,
                         "stream_version once per ms beside read_stream of " +
                             std::to_string(stream_events) + " events in a loop");
  failure_record failures(row);
  std::atomic<bool> long_read_started{false};
  std::atomic<bool> stop{false};
  std::thread long_reader([&] {
    while (!stop) {
      long_read_started = true;
      if (auto read = store.read_stream(stream); !read) failures.add(read.error_value());
    }
  });
  while (!long_read_started) std::this_thread::yield();
  latency_histogram latency;
  const auto started = clock_type::now();
  for (int i = 0; i < latency_samples; ++i) {
    // Spaced out, so each sample lands at a random point of the long read.
    std::this_thread::sleep_for(std::chrono::microseconds(997));
    const auto asked = clock_type::now();
    if (auto version = store.stream_version(stream); !version) failures.add(version.error_value());
    latency.record(clock_type::now() - asked);
  }
  row.seconds = std::chrono::duration<double>(clock_type::now() - started).count();
  stop = true;
  long_reader.join();
  row.operations = latency_samples;
  set_latency(row, latency);
  return row;
}

}  // namespace

std::vector<figure> run_parallel_reads(event_store& store, const std::string& store_name,
                                       const std::string& stream, std::size_t stream_events) {
  return {read_on_several_threads(store, store_name, stream, stream_events),
          read_beside_a_long_read(store, store_name, stream, stream_events)};
}

}  // namespace esk::bench
