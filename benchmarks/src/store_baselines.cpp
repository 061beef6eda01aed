// Baselines below the actors: the store's own append rate, and the disk's fdatasync rate.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "esk/identifiers.hpp"
#include "process_memory.hpp"
#include "scratch_store.hpp"
#include "user_commands.hpp"
#include "workloads.hpp"

namespace esk::bench {
namespace {

using clock_type = std::chrono::steady_clock;

double elapsed(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

}  // namespace

figure store_appends(const bench_options& options, const std::string& store_name,
                     std::size_t batch) {
  figure row;
  row.name = "baseline/append-" + std::to_string(batch);
  row.store = store_name;
  row.parameters = "events_per_txn=" + std::to_string(batch) + " streams=10000";
  row.events_rate_is_figure = true;
  auto scratch = scratch_store::open(store_name, options, "append");
  if (!scratch) {
    row.failed = 1;
    row.first_failure = scratch.error_value().message;
    return row;
  }
  event_store& store = *(*scratch)->store();
  reset_peak_resident_bytes();
  constexpr std::size_t streams = 10000;
  std::vector<std::uint64_t> versions(streams, 0);
  latency_histogram latency;
  std::size_t next_stream = 0;
  // Only append_batch is timed: building the requests (IDs, JSON text) is the caller's cost.
  while (row.seconds < options.baseline_seconds) {
    std::vector<append_request> requests;
    requests.reserve(batch);
    for (std::size_t i = 0; i < batch; ++i, next_stream = (next_stream + 1) % streams) {
      const std::string user = "b" + std::to_string(next_stream);
      requests.push_back(
          {"User-" + user, versions[next_stream], user_events(user, versions[next_stream], 1)});
      ++versions[next_stream];
    }
    const auto started = clock_type::now();
    auto outcomes = store.append_batch(requests);
    const auto took = clock_type::now() - started;
    row.seconds += std::chrono::duration<double>(took).count();
    latency.record(took);
    ++row.operations;
    for (const auto& outcome : outcomes) {
      if (outcome)
        row.events += outcome->size();
      else if (row.failed++ == 0)
        row.first_failure = outcome.error_value().message;
    }
  }
  row.peak_rss_bytes = peak_resident_bytes();
  set_latency(row, latency);
  return row;
}

figure disk_syncs(const bench_options& options) {
  figure row;
  row.name = "baseline/fdatasync";
  row.store = "sqlite";
  row.parameters = "4KiB overwrite + fdatasync, in " + options.directory;
  const std::string path =
      options.directory + "/esk-bench-fdatasync-" + std::to_string(::getpid()) + ".probe";
  const int file = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (file < 0) {
    row.failed = 1;
    row.first_failure = "cannot create " + path + ": " + std::strerror(errno);
    return row;
  }
  constexpr std::size_t block = 4096, blocks = 256;  // cycle through a 1 MiB file, like a WAL
  std::vector<char> data(block, 'x');
  for (std::size_t i = 0; i < blocks; ++i) (void)!::pwrite(file, data.data(), block, i * block);
  ::fsync(file);
  latency_histogram latency;
  const auto started = clock_type::now();
  while (elapsed(started) < options.baseline_seconds) {
    const auto sync_started = clock_type::now();
    const auto offset = static_cast<off_t>((row.operations % blocks) * block);
    if (::pwrite(file, data.data(), block, offset) != static_cast<ssize_t>(block) ||
        ::fdatasync(file) != 0) {
      if (row.failed++ == 0) row.first_failure = std::strerror(errno);
    }
    latency.record(clock_type::now() - sync_started);
    ++row.operations;
  }
  row.seconds = elapsed(started);
  ::close(file);
  ::unlink(path.c_str());
  set_latency(row, latency);
  return row;
}

}  // namespace esk::bench
