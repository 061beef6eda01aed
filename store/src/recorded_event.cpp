#include "esk/store/recorded_event.hpp"

#include <boost/json.hpp>

namespace esk {
namespace {

// The payload as a JSON value; text that does not parse is kept as a JSON string so the
// line stays valid JSON and shows what was stored.
boost::json::value payload_as_json(const std::string& payload) {
  boost::json::error_code parse_error;
  boost::json::value parsed = boost::json::parse(payload, parse_error);
  if (parse_error) return boost::json::string(payload);
  return parsed;
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const recorded_event& event) {
  boost::json::object metadata;
  metadata["event_id"] = event.metadata.event_id;
  metadata["command_id"] = event.metadata.command_id;
  metadata["correlation_id"] = event.metadata.correlation_id;
  metadata["causation_id"] = event.metadata.causation_id;
  metadata["recorded_at"] = event.metadata.recorded_at;

  boost::json::object line;
  line["stream"] = event.stream;
  line["version"] = event.version;
  line["position"] = event.position;
  line["type"] = event.type;
  line["payload"] = payload_as_json(event.payload);
  line["metadata"] = std::move(metadata);
  return out << boost::json::serialize(line);
}

std::string stream_name(const std::string& aggregate_type, const std::string& aggregate_id) {
  return aggregate_type + "-" + aggregate_id;
}

}  // namespace esk
