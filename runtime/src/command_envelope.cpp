#include "command_envelope.hpp"

#include "esk/json_codec.hpp"

namespace esk {
namespace {

error envelope_error(std::string detail) {
  return {error_kind::bad_json,
          "JSON command: " + std::move(detail) +
              " (expected {\"type\": \"<CommandType>\", \"payload\": {...}})"};
}

}  // namespace

result<command_envelope> parse_command_envelope(std::string_view text) {
  if (text.size() > max_json_command_bytes)
    return envelope_error("is " + std::to_string(text.size()) + " bytes, over the limit of " +
                          std::to_string(max_json_command_bytes));
  auto parsed = parse_json(text, "JSON command");
  if (!parsed) return parsed.error_value();
  const auto* object = parsed->if_object();
  if (!object) return envelope_error("must be a JSON object");
  command_envelope envelope;
  for (const auto& [key, value] : *object) {
    if (key == "type") {
      if (!value.is_string()) return envelope_error("\"type\" must be a string");
      envelope.type = std::string(value.get_string());
    } else if (key == "payload") {
      if (!value.is_object()) return envelope_error("\"payload\" must be an object");
      envelope.payload = value;
    } else if (key == "command_id" || key == "correlation_id" || key == "causation_id") {
      if (!value.is_string())
        return envelope_error("\"" + std::string(key) + "\" must be a string");
      std::string id(value.get_string());
      if (key == "command_id")
        envelope.options.command_id = std::move(id);
      else if (key == "correlation_id")
        envelope.options.correlation_id = std::move(id);
      else
        envelope.options.causation_id = std::move(id);
    } else if (key == "expected_version") {
      if (value.is_uint64())
        envelope.options.expected_version = value.get_uint64();
      else if (value.is_int64() && value.get_int64() >= 0)
        envelope.options.expected_version = static_cast<std::uint64_t>(value.get_int64());
      else
        return envelope_error("\"expected_version\" must be a non-negative integer");
    } else {
      return envelope_error("unknown key \"" + std::string(key) + "\"");
    }
  }
  if (envelope.type.empty()) return envelope_error("\"type\" is missing or empty");
  if (envelope.payload.is_null()) return envelope_error("\"payload\" is missing");
  return envelope;
}

}  // namespace esk
