// esk/upcasting.hpp — event schema versions and upcasters: stored events of an older shape are
// turned into the current one on every read (rehydration, projections, the CLI, HTTP reads).
//
//   rt.aggregate<User>("User")
//       .event<UserCreated>("UserCreated", esk::schema_version{3})
//       .upcast("UserCreated", 1, [](boost::json::object v1) {   // v1 -> v2: a reshape
//         v1["email"] = "";
//         return v1;
//       })
//       .upcast("UserCreated", 2, add_the_locale)                  // v2 -> v3
//       .upcast("UserRegistered", 1, [](boost::json::object old) { // a rename
//         return esk::upcast_event{"UserCreated", 1, std::move(old)};
//       });
//
// Where the version is kept: in the stored type name. An event of schema version 1 is stored
// under its plain name ("UserCreated"), as every event was before versions existed, so old
// stores read as version 1 without a migration; a later version is stored as "UserCreated@v3".
// A build that does not know version 3 finds no such type and refuses the event
// (unknown_event) instead of misreading it; so does this build for "UserCreated@v4".
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace esk {

// The schema version of an event type: 1 unless registered otherwise. Raise it when the
// event's JSON shape changes, and register an upcaster from the previous version.
struct schema_version {
  std::uint32_t value = 1;
};

// One event an upcaster yields: its type name, the schema version its payload has, the payload.
// The result is upcast again until it reaches a registered type at its current version.
struct upcast_event {
  std::string type;
  std::uint32_t version = 1;
  boost::json::object payload;
};

// Turns the payload of one stored event (of the type and version it is registered for) into
// the events that replace it: one for a reshape or a rename, several for a split, none to drop
// it. May throw: the read fails with bad_payload naming the event and the upcaster.
using upcaster = std::function<std::vector<upcast_event>(boost::json::object payload)>;

// A stored type name split into the event type name and its schema version.
struct stored_event_type {
  std::string_view name;
  std::uint32_t version = 1;
};

// The type name an event of type `name` and schema `version` is stored under: `name` for
// version 1, "<name>@v<version>" after.
std::string stored_type_name(std::string_view name, std::uint32_t version);

// The name and version in `stored` ("UserCreated@v3" -> UserCreated, 3; "UserCreated" ->
// UserCreated, 1). A suffix that is not "@v" and a positive number is part of the name.
stored_event_type parse_stored_type(std::string_view stored);

}  // namespace esk
