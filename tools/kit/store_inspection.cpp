#include "store_inspection.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <memory>

#include "esk/cli/event_listing.hpp"
#include "esk/cli/exit_code.hpp"
#include "esk/store/open_store.hpp"
#include "esk/store/postgres_store.hpp"
#include "progress_meter.hpp"

namespace esk::kit {
namespace {

constexpr const char* program = "event-sourcing-kit";

int fail(std::ostream& err, const error& failure) {
  err << program << ": " << failure << '\n';
  return cli::exit_code_for(failure.kind);
}

// Opens the store named by the single positional argument, read-only, never creating it.
result<std::shared_ptr<event_store>> open_for_inspection(const cli::arguments& args,
                                                         const char* command) {
  if (args.positional().size() != 1)
    return error{error_kind::invalid_argument,
                 std::string(command) +
                     ": expected exactly one store (a file or a postgresql:// URL) (" + command +
                     " <db>)"};
  store_access access;
  access.create_if_missing = false;
  access.read_only = true;
  return open_store(args.positional().front(), access);
}

// Pads `text` with spaces to `width` columns.
std::string padded(const std::string& text, std::size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

void write_streams_table(const std::vector<stream_info>& streams, std::ostream& out) {
  std::size_t name_width = std::string("STREAM").size();
  for (const auto& stream : streams) name_width = std::max(name_width, stream.stream.size());
  out << padded("STREAM", name_width) << "  VERSION  EVENTS  LAST_POSITION\n";
  for (const auto& stream : streams) {
    // Versions are 1-based and gap-free, so a stream's version is also its event count.
    out << padded(stream.stream, name_width) << "  " << padded(std::to_string(stream.version), 7)
        << "  " << padded(std::to_string(stream.version), 6) << "  " << stream.last_position
        << '\n';
  }
}

struct store_statistics {
  std::uint64_t events = 0;
  std::uint64_t streams = 0;
  std::map<std::string, std::uint64_t> events_by_type;
  bool is_file = true;  // false for a PostgreSQL database: no file, so no sizes
  std::uintmax_t file_bytes = 0;
  std::uintmax_t wal_bytes = 0;  // the write-ahead log beside the file, not yet checkpointed
};

std::uintmax_t file_size_or_zero(const std::string& path) {
  std::error_code missing;
  auto size = std::filesystem::file_size(path, missing);
  return missing ? 0 : size;
}

result<store_statistics> collect_statistics(event_store& store, const std::string& path) {
  store_statistics stats;
  auto streams = store.list_streams();
  if (!streams) return streams.error_value();
  stats.streams = streams->size();
  auto last = store.last_position();
  if (!last) return last.error_value();
  progress_meter progress("reading events", *last);
  auto counted = cli::for_each_event(
      store, cli::event_filter{},
      [&stats](const recorded_event& event) { ++stats.events_by_type[event.type]; },
      [&progress](std::uint64_t position) { progress.update(position); });
  if (!counted) return counted.error_value();
  stats.events = *counted;
  stats.is_file = !is_postgres_location(path);
  if (stats.is_file) {
    stats.file_bytes = file_size_or_zero(path);
    stats.wal_bytes = file_size_or_zero(path + "-wal");
  }
  return stats;
}

void write_statistics_text(const store_statistics& stats, const std::string& path,
                           std::ostream& out) {
  out << "store:    " << path << '\n';
  if (stats.is_file) {
    out << "size:     " << stats.file_bytes << " bytes";
    if (stats.wal_bytes > 0) out << " (+ " << stats.wal_bytes << " bytes of write-ahead log)";
    out << '\n';
  }
  out << "events:   " << stats.events << '\n'
      << "streams:  " << stats.streams << '\n'
      << "types:    " << stats.events_by_type.size() << '\n';
  std::size_t type_width = 0;
  for (const auto& [type, count] : stats.events_by_type)
    type_width = std::max(type_width, type.size());
  for (const auto& [type, count] : stats.events_by_type)
    out << "  " << padded(type, type_width) << "  " << count << '\n';
}

void write_statistics_json(const store_statistics& stats, const std::string& path,
                           std::ostream& out) {
  boost::json::object types;
  for (const auto& [type, count] : stats.events_by_type) types[type] = count;
  boost::json::object report;
  report["store"] = path;
  if (stats.is_file) {
    report["file_bytes"] = stats.file_bytes;
    report["wal_bytes"] = stats.wal_bytes;
  }
  report["events"] = stats.events;
  report["streams"] = stats.streams;
  report["types"] = std::move(types);
  out << boost::json::serialize(report) << '\n';
}

}  // namespace

cli::option_spec streams_options() { return {{}, {"json"}}; }
cli::option_spec events_options() { return cli::event_filter_options(); }
cli::option_spec stats_options() { return {{}, {"json"}}; }

int run_streams(const cli::arguments& args, std::ostream& out, std::ostream& err) {
  auto store = open_for_inspection(args, "streams");
  if (!store) return fail(err, store.error_value());
  auto streams = (*store)->list_streams();
  if (!streams) return fail(err, streams.error_value());
  if (!args.flag("json")) {
    write_streams_table(*streams, out);
    return cli::exit_success;
  }
  for (const auto& stream : *streams) {
    boost::json::object line{{"stream", stream.stream},
                             {"version", stream.version},
                             {"events", stream.version},
                             {"last_position", stream.last_position}};
    out << boost::json::serialize(line) << '\n';
  }
  return cli::exit_success;
}

int run_events(const cli::arguments& args, std::ostream& out, std::ostream& err) {
  auto filter = cli::event_filter_from(args);
  if (!filter) return fail(err, filter.error_value());
  auto store = open_for_inspection(args, "events");
  if (!store) return fail(err, store.error_value());
  auto last = (*store)->last_position();
  if (!last) return fail(err, last.error_value());
  // On a terminal the events themselves show the progress; a meter would garble them.
  progress_meter progress("reading events", *last, !is_terminal(STDOUT_FILENO));
  auto written = cli::write_events(
      **store, *filter, out, [&progress](std::uint64_t position) { progress.update(position); });
  if (!written) return fail(err, written.error_value());
  return cli::exit_success;
}

int run_stats(const cli::arguments& args, std::ostream& out, std::ostream& err) {
  auto store = open_for_inspection(args, "stats");
  if (!store) return fail(err, store.error_value());
  const std::string path = shown_location(args.positional().front());
  auto stats = collect_statistics(**store, path);
  if (!stats) return fail(err, stats.error_value());
  if (args.flag("json"))
    write_statistics_json(*stats, path, out);
  else
    write_statistics_text(*stats, path, out);
  return cli::exit_success;
}

}  // namespace esk::kit
