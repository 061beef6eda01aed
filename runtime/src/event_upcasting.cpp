// Stored event types with schema versions, and the upcasting of stored events to the current
// schema (esk/upcasting.hpp, event_registry::upcast).
#include <boost/json/serialize.hpp>
#include <charconv>
#include <stdexcept>
#include <utility>

#include "esk/registry.hpp"

namespace esk {
namespace {

constexpr std::string_view version_mark = "@v";

// How many upcasters one stored event may go through: a chain longer than this is a cycle
// (an upcaster yielding the type and version it was registered for, or a rename loop).
constexpr int max_upcast_steps = 64;

std::string describe(std::string_view name, std::uint32_t version) {
  return "event type '" + std::string(name) + "' version " + std::to_string(version);
}

std::string where(const recorded_event& stored) {
  return " (stored as '" + stored.type + "' at " + stored.stream + " version " +
         std::to_string(stored.version) + ", position " + std::to_string(stored.position) + ")";
}

// Upcasts one stored event, depth first so the yielded events keep their order.
class upcast_run {
 public:
  upcast_run(
      const event_registry& events,
      const std::map<std::pair<std::string, std::uint32_t>, upcaster, std::less<>>& upcasters,
      const recorded_event& stored)
      : events_(events), upcasters_(upcasters), stored_(stored) {}

  // Appends to `out` what `name` at `version` becomes; `payload` is null while it is the
  // stored text, untouched.
  status convert(std::string_view name, std::uint32_t version, const boost::json::object* payload,
                 std::vector<recorded_event>& out, int steps) {
    const auto* entry = events_.find(name);
    if (entry && version == entry->schema_version) {
      recorded_event current = stored_;
      current.type = entry->name;
      if (payload) current.payload = boost::json::serialize(*payload);
      out.push_back(std::move(current));
      return {};
    }
    auto found = upcasters_.find(std::pair<std::string, std::uint32_t>(name, version));
    if (found == upcasters_.end()) return refusal(name, version, entry);
    if (steps == max_upcast_steps)
      return error{error_kind::bad_payload, "upcasting " + describe(name, version) +
                                                " went through " + std::to_string(steps) +
                                                " upcasters: a cycle" + where(stored_)};
    boost::json::object input;
    if (payload) {
      input = *payload;
    } else {
      auto parsed = parse_json(stored_.payload, name);
      if (!parsed) return parsed.error_value();
      if (!parsed->is_object())
        return error{
            error_kind::bad_payload,
            describe(name, version) + " has a payload that is not a JSON object" + where(stored_)};
      input = std::move(parsed->as_object());
    }
    std::vector<upcast_event> yielded;
    try {
      yielded = found->second(std::move(input));
    } catch (...) {
      return error{error_kind::bad_payload, "the upcaster of " + describe(name, version) +
                                                " threw: " + describe_current_exception() +
                                                where(stored_)};
    }
    for (const auto& next : yielded)
      if (auto converted = convert(next.type, next.version, &next.payload, out, steps + 1);
          !converted)
        return converted;
    return {};
  }

 private:
  error refusal(std::string_view name, std::uint32_t version, const event_type_entry* entry) {
    if (!entry)
      return error{error_kind::unknown_event, "unknown " + describe(name, version) +
                                                  ": no such type is registered and no upcaster "
                                                  "reads it (written by a newer build?)" +
                                                  where(stored_)};
    if (version > entry->schema_version)
      return error{error_kind::unknown_event,
                   describe(name, version) + " is newer than this build, which knows version " +
                       std::to_string(entry->schema_version) + where(stored_)};
    return error{error_kind::unknown_event,
                 describe(name, version) + " has no upcaster to version " +
                     std::to_string(entry->schema_version) + " (register one with .upcast(\"" +
                     std::string(name) + "\", " + std::to_string(version) + ", ...))" +
                     where(stored_)};
  }

  const event_registry& events_;
  const std::map<std::pair<std::string, std::uint32_t>, upcaster, std::less<>>& upcasters_;
  const recorded_event& stored_;
};

}  // namespace

std::string stored_type_name(std::string_view name, std::uint32_t version) {
  if (version <= 1) return std::string(name);
  return std::string(name) + std::string(version_mark) + std::to_string(version);
}

stored_event_type parse_stored_type(std::string_view stored) {
  const auto mark = stored.rfind(version_mark);
  if (mark == std::string_view::npos || mark == 0) return {stored, 1};
  const std::string_view digits = stored.substr(mark + version_mark.size());
  std::uint32_t version = 0;
  const auto [end, failure] =
      std::from_chars(digits.data(), digits.data() + digits.size(), version);
  if (digits.empty() || failure != std::errc{} || end != digits.data() + digits.size() ||
      version == 0)
    return {stored, 1};
  return {stored.substr(0, mark), version};
}

void event_registry::add(event_type_entry entry, std::string_view what) {
  if (entry.schema_version > 1) evolves_ = true;
  detail::type_table<event_type_entry>::add(std::move(entry), what);
}

void event_registry::add_upcaster(std::string name, std::uint32_t from_version, upcaster convert) {
  if (from_version == 0)
    throw std::logic_error("the upcaster of event type '" + name +
                           "' starts at version 0; versions start at 1");
  if (const auto* entry = find(name); entry && entry->schema_version <= from_version)
    throw std::logic_error("an upcaster from " + describe(name, from_version) +
                           " leads nowhere: the type is registered at version " +
                           std::to_string(entry->schema_version));
  if (!upcasters_.emplace(std::pair(name, from_version), std::move(convert)).second)
    throw std::logic_error("two upcasters from " + describe(name, from_version));
  evolves_ = true;
}

bool event_registry::needs_upcast(std::string_view stored_type) const {
  if (stored_type.find(version_mark) != std::string_view::npos) return true;
  const auto* entry = find(stored_type);
  return !entry || entry->schema_version != 1;
}

const event_type_entry* event_registry::at_current_version(std::string_view stored_type) const {
  const auto [name, version] = parse_stored_type(stored_type);
  const auto* entry = find(name);
  return entry && version == entry->schema_version ? entry : nullptr;
}

result<std::vector<recorded_event>> event_registry::upcast(const recorded_event& stored) const {
  const auto [name, version] = parse_stored_type(stored.type);
  std::vector<recorded_event> current;
  if (auto converted =
          upcast_run(*this, upcasters_, stored).convert(name, version, nullptr, current, 0);
      !converted)
    return converted.error_value();
  // A split: each part gets an event ID of its own, derived from the stored one, so what is
  // keyed by event ID (a process manager's command IDs) tells the parts apart on every replay.
  if (current.size() > 1)
    for (std::size_t part = 0; part < current.size(); ++part)
      current[part].metadata.event_id += "/" + std::to_string(part + 1);
  return current;
}

result<std::vector<recorded_event>> event_registry::upcast(
    const std::vector<recorded_event>& stored) const {
  std::vector<recorded_event> current;
  current.reserve(stored.size());
  for (const auto& event : stored) {
    if (!needs_upcast(event.type)) {
      current.push_back(event);
      continue;
    }
    auto converted = upcast(event);
    if (!converted) return converted.error_value();
    for (auto& part : *converted) current.push_back(std::move(part));
  }
  return current;
}

result<std::vector<recorded_event>> event_registry::upcast(
    std::vector<recorded_event>&& stored) const {
  // Two passes, so that nothing is renamed when one event turns out older: the copying upcast
  // then reads them all as stored. Looking the types up twice allocates nothing (this runs on
  // every command's answer).
  for (const auto& event : stored)
    if (needs_upcast(event.type) && !at_current_version(event.type))
      return upcast(static_cast<const std::vector<recorded_event>&>(stored));  // an older event
  for (auto& event : stored)
    if (needs_upcast(event.type)) event.type = at_current_version(event.type)->name;
  return std::move(stored);
}

}  // namespace esk
