#include "report.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <thread>

namespace esk::bench {
namespace {

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// 1234567 -> "1.23M", 12345 -> "12.3k".
std::string rate(double value) {
  if (value >= 1e6) return fixed(value / 1e6, 2) + "M";
  if (value >= 1e4) return fixed(value / 1e3, 1) + "k";
  if (value >= 1e3) return fixed(value / 1e3, 2) + "k";
  return fixed(value, value >= 100 ? 0 : 1);
}

std::string optional_number(const std::optional<double>& value, int decimals) {
  return value ? fixed(*value, decimals) : "-";
}

std::vector<std::string> cells(const figure& row) {
  auto fraction = row.fraction_of_limit();
  return {row.name,
          row.store,
          row.operations ? rate(row.operations_per_second()) : "-",
          row.events ? rate(row.events_per_second()) : "-",
          optional_number(row.p50_us, 1),
          optional_number(row.p99_us, 1),
          optional_number(row.p999_us, 1),
          row.peak_rss_bytes ? fixed(row.peak_rss_bytes / 1048576.0, 0) : "-",
          optional_number(row.bytes_per_aggregate, 0),
          optional_number(row.allocations_per_operation, 1),
          row.limit_rate ? row.limit_key + "=" + rate(*row.limit_rate) : "-",
          fraction ? fixed(*fraction, 2) : "-",
          std::to_string(row.failed),
          row.parameters + (row.note.empty() ? "" : "; " + row.note)};
}

}  // namespace

void print_table(std::ostream& out, const run_description& run, const std::vector<figure>& rows) {
  const std::vector<std::string> header{
      "workload",   "store",       "ops/s",     "events/s", "p50 us",   "p99 us", "p99.9 us",
      "peakRSS MB", "B/aggregate", "allocs/op", "limit",    "fraction", "failed", "parameters"};
  std::vector<std::vector<std::string>> table{header};
  for (const auto& row : rows) table.push_back(cells(row));
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& line : table)
    for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  out << "# " << run.command_line << "\n# " << run.machine << "\n";
  for (const auto& line : table) {
    for (std::size_t i = 0; i < line.size(); ++i) {
      const bool last = i + 1 == line.size();
      out << (i < 2 || last ? std::left : std::right) << std::setw(last ? 0 : widths[i]) << line[i]
          << (last ? "\n" : "  ");
    }
  }
  for (const auto& row : rows)
    if (row.failed)
      out << "# " << row.name << "@" << row.store << " failures, first: " << row.first_failure
          << "\n";
}

void print_json(std::ostream& out, const run_description& run, const std::vector<figure>& rows) {
  boost::json::array results;
  for (const auto& row : rows) {
    boost::json::object item{{"workload", row.name},
                             {"store", row.store},
                             {"parameters", row.parameters},
                             {"operations", row.operations},
                             {"events", row.events},
                             {"seconds", row.seconds},
                             {"operations_per_second", row.operations_per_second()},
                             {"events_per_second", row.events_per_second()},
                             {"failed", row.failed},
                             {"peak_rss_bytes", row.peak_rss_bytes}};
    auto add = [&](const char* key, const std::optional<double>& value) {
      if (value) item[key] = *value;
    };
    add("latency_p50_us", row.p50_us);
    add("latency_p99_us", row.p99_us);
    add("latency_p999_us", row.p999_us);
    add("bytes_per_aggregate", row.bytes_per_aggregate);
    add("allocations_per_operation", row.allocations_per_operation);
    if (row.limit_rate) {
      item["limit"] = row.limit_key;
      item["limit_rate"] = *row.limit_rate;
      item["fraction_of_limit"] = *row.fraction_of_limit();
    }
    if (!row.first_failure.empty()) item["first_failure"] = row.first_failure;
    if (!row.note.empty()) item["note"] = row.note;
    results.push_back(std::move(item));
  }
  boost::json::object document{{"command_line", run.command_line},
                               {"machine", run.machine},
                               {"results", std::move(results)}};
  out << boost::json::serialize(document) << "\n";
}

std::string describe_machine(const std::string& directory) {
  std::string cpu = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  std::error_code ignored;
  const std::string where = std::filesystem::weakly_canonical(directory, ignored).string();
  std::string device = "?", mount_point, type = "?";
  std::ifstream mounts("/proc/mounts");
  for (std::string line; std::getline(mounts, line);) {
    std::istringstream fields(line);
    std::string dev, point, fs;
    fields >> dev >> point >> fs;
    if (where.rfind(point, 0) == 0 && point.size() > mount_point.size()) {
      device = dev, mount_point = point, type = fs;
    }
  }
  std::ostringstream text;
  text << std::thread::hardware_concurrency() << " cores, " << cpu << ", store files in " << where
       << " (" << type << " on " << device << ")";
  return text.str();
}

}  // namespace esk::bench
