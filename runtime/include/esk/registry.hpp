// esk/registry.hpp — the event registry and the command registry: type names <-> C++ types,
// so stored or incoming JSON turns back into typed values.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeindex>
#include <unordered_map>
#include <vector>

#include "esk/actors/aggregate_model.hpp"
#include "esk/json_codec.hpp"
#include "esk/result.hpp"
#include "esk/store/recorded_event.hpp"
#include "esk/upcasting.hpp"

namespace esk {

// Decodes JSON into a type-erased, immutable value of the registered C++ type.
using erased_decoder =
    std::function<result<std::shared_ptr<const void>>(const boost::json::value& payload)>;

// One registered event type.
struct event_type_entry {
  std::string name;
  std::type_index type;
  std::string aggregate_type;                      // the aggregate whose stream holds it
  erased_decoder decode;                           // ignores unknown fields (schema evolution)
  std::function<std::string(const void*)> encode;  // typed value -> JSON object text
  std::uint32_t schema_version = 1;                // the version this build writes and reads
};

// One registered command type, and where it goes.
struct command_type_entry {
  std::string name;
  std::type_index type;
  std::shared_ptr<const aggregate_model> aggregate;   // the aggregate that handles it
  std::function<std::string(const void*)> target_id;  // the aggregate ID it is addressed to
  erased_decoder decode;                              // rejects unknown fields
};

namespace detail {

// Name and type index lookups shared by both registries. Registration is not thread-safe:
// register every type before sending commands; lookups are then safe from any thread.
template <class Entry>
class type_table {
 public:
  // Adds `entry`. Throws std::logic_error if its name or its C++ type is already taken by a
  // different registration (a programming error, found at start-up).
  void add(Entry entry, std::string_view what) {
    auto by_name = by_name_.find(entry.name);
    if (by_name != by_name_.end()) {
      if (by_name->second->type == entry.type) return;
      throw std::logic_error(std::string(what) + " type name '" + entry.name +
                             "' is registered twice for different C++ types");
    }
    if (by_type_.count(entry.type))
      throw std::logic_error(std::string(what) + " C++ type of '" + entry.name +
                             "' is already registered as '" + by_type_[entry.type]->name + "'");
    auto stored = std::make_shared<const Entry>(std::move(entry));
    by_name_.emplace(std::string_view(stored->name), stored);
    by_type_.emplace(stored->type, stored);
  }
  // The entry named `name`, or null.
  const Entry* find(std::string_view name) const {
    auto found = by_name_.find(name);
    return found == by_name_.end() ? nullptr : found->second.get();
  }
  // The entry for C++ type `type`, or null.
  const Entry* find(std::type_index type) const {
    auto found = by_type_.find(type);
    return found == by_type_.end() ? nullptr : found->second.get();
  }
  // All registered names, sorted (for error messages and tools).
  std::vector<std::string> names() const;

 private:
  // Keyed by a view of the entry's own name (entries never move: they are shared and const),
  // so a lookup by string_view builds no key string.
  std::unordered_map<std::string_view, std::shared_ptr<const Entry>> by_name_;
  std::unordered_map<std::type_index, std::shared_ptr<const Entry>> by_type_;
};

std::vector<std::string> sorted_keys(const std::vector<std::string>& keys);

template <class Entry>
std::vector<std::string> type_table<Entry>::names() const {
  std::vector<std::string> keys;
  for (const auto& entry : by_name_) keys.emplace_back(entry.first);
  return sorted_keys(keys);
}

}  // namespace detail

// Every event type the runtime knows, by name and by C++ type, and the upcasters that turn
// stored events of older schema versions into current ones (esk/upcasting.hpp).
class event_registry : public detail::type_table<event_type_entry> {
 public:
  // Decodes a payload of the current version of event type `name` into its typed value.
  // Errors: unknown_event (no such name), bad_json, bad_payload.
  result<std::shared_ptr<const void>> decode(std::string_view name, std::string_view payload) const;

  // Adds `entry`, as type_table::add does.
  void add(event_type_entry entry, std::string_view what);

  // Registers `convert` for stored events of type `name` at schema version `from_version`.
  // Throws std::logic_error when one is registered there already, when from_version is 0, or
  // when `name` is registered at a version <= from_version (an upcaster must lead somewhere).
  void add_upcaster(std::string name, std::uint32_t from_version, upcaster convert);

  // False when `stored_type` names a registered type at its current version, stored as is
  // (the common case, so readers skip upcast()); true when upcast() must see the event.
  bool needs_upcast(std::string_view stored_type) const;

  // The registered type `stored_type` names when it is stored at that type's current schema
  // version ("E@v3" with E registered at version 3): reading it needs no upcaster, only the
  // current name. nullptr for an older, newer or unknown one.
  const event_type_entry* at_current_version(std::string_view stored_type) const;

  // `stored` in the current schema: the events its upcasters yield (chained up to each type's
  // current version; stream, version, position and metadata as stored), or the event itself
  // with its plain type name when it is current already. Errors: unknown_event, naming the
  // type and the version, for a type this build does not know or a version newer than it
  // knows (or with no upcaster to go on); bad_json / bad_payload when the payload does not
  // parse or an upcaster throws. Thread-safe once registration is over.
  result<std::vector<recorded_event>> upcast(const recorded_event& stored) const;

  // Every event of `stored`, upcast as above, in order. Errors: the first event's that fails.
  result<std::vector<recorded_event>> upcast(const std::vector<recorded_event>& stored) const;

  // The same for events the caller gives up (a command's answer): when every event is already
  // at its type's current version (the common case: this build recorded them) only the type
  // names change, in place, and nothing is copied. On an error `stored` is left as it was.
  result<std::vector<recorded_event>> upcast(std::vector<recorded_event>&& stored) const;

  // True once a type is registered at a version after 1 or an upcaster is registered: only
  // then can a stored type name differ from the current one (readers skip upcasting if not).
  bool evolves() const noexcept { return evolves_; }

 private:
  bool evolves_ = false;
  std::map<std::pair<std::string, std::uint32_t>, upcaster, std::less<>> upcasters_;
};

// Every command type the runtime accepts, by name and by C++ type.
class command_registry : public detail::type_table<command_type_entry> {};

}  // namespace esk
