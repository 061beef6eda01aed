#include "store_audit.hpp"

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

namespace esk::reliability {
namespace {

// The signed amount an event adds to its account's balance (0 for other event types).
std::int64_t balance_change(const recorded_event& event) {
  if (event.type != "Deposited" && event.type != "Withdrawn") return 0;
  boost::json::error_code failure;
  auto payload = boost::json::parse(event.payload, failure);
  if (failure || !payload.is_object()) return 0;
  const auto* amount = payload.as_object().if_contains("amount");
  if (!amount || !amount->is_int64()) return 0;
  return event.type == "Deposited" ? amount->as_int64() : -amount->as_int64();
}

// Every event of the log, read page by page. Errors: store_unavailable.
result<std::vector<recorded_event>> read_whole_log(event_store& store) {
  std::vector<recorded_event> log;
  for (std::uint64_t next = 1;;) {
    auto page = store.read_all(next);
    if (!page) return page.error_value();
    log.insert(log.end(), page->begin(), page->end());
    if (page->size() < default_read_limit) return log;
    next = page->back().position + 1;
  }
}

}  // namespace

store_audit audit_store(event_store& store) {
  store_audit audit;
  auto events = read_whole_log(store);
  if (!events) {
    std::ostringstream problem;
    problem << "read_all failed: " << events.error_value();
    audit.problems.push_back(problem.str());
    return audit;
  }
  audit.event_count = events->size();
  std::map<std::string, std::uint64_t> versions;  // by stream: the last version seen
  std::uint64_t last_position = 0;
  for (const auto& event : *events) {
    if (event.position <= last_position)
      audit.problems.push_back("position " + std::to_string(event.position) + " follows " +
                               std::to_string(last_position));
    last_position = event.position;
    auto& version = versions[event.stream];
    if (event.version != version + 1)
      audit.problems.push_back(event.stream + ": version " + std::to_string(event.version) +
                               " follows " + std::to_string(version) + " (gap or duplicate)");
    version = event.version;
    if (event.metadata.command_id.empty())
      audit.problems.push_back(event.stream + " version " + std::to_string(event.version) +
                               " has no command ID");
    auto [footprint, first] = audit.commands.try_emplace(event.metadata.command_id);
    if (first) footprint->second.stream = event.stream;
    if (footprint->second.stream != event.stream) footprint->second.one_stream = false;
    footprint->second.versions.push_back(event.version);
    audit.balances[event.stream] += balance_change(event);
  }
  auto streams = store.list_streams();
  if (!streams) {
    audit.problems.push_back("list_streams failed: " + streams.error_value().message);
    return audit;
  }
  if (streams->size() != versions.size())
    audit.problems.push_back("list_streams has " + std::to_string(streams->size()) +
                             " streams, the log " + std::to_string(versions.size()));
  for (const auto& info : *streams)
    if (versions[info.stream] != info.version)
      audit.problems.push_back(info.stream + ": stream table says version " +
                               std::to_string(info.version) + ", the log " +
                               std::to_string(versions[info.stream]));
  auto position = store.last_position();
  if (!position || *position != last_position)
    audit.problems.push_back("last_position disagrees with the log's last event");
  return audit;
}

std::vector<std::string> complete_lines(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end = text.find('\n'); end != std::string::npos;
       start = end + 1, end = text.find('\n', start))
    lines.push_back(text.substr(start, end - start));
  return lines;
}

}  // namespace esk::reliability
