// postgres_text_checks.hpp — what PostgreSQL's text cannot hold: a NUL byte (libpq would also
// cut a text parameter there, so a name "a\0b" would read and write "a"), and, in a UTF-8
// database, bytes that are not UTF-8. Checked before a statement, so that such a name reads as
// absent and such an append is refused alone as invalid_argument instead of failing its whole
// batch as store_unavailable. Internal to store/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "esk/error.hpp"
#include "esk/store/recorded_event.hpp"

namespace esk {

// Whether `text` holds a NUL byte. Never fails.
bool holds_nul(std::string_view text);

// Why PostgreSQL cannot store `text` ("holds a NUL byte at offset N", "is not UTF-8 at offset
// N"), or "" when it can. Never fails.
std::string unstorable_text(std::string_view text);

// invalid_argument naming the field of `request` that PostgreSQL cannot store and why, or
// nullopt when it can store all of them (stream, each event's type, payload and metadata).
std::optional<error> check_storable(const append_request& request);

}  // namespace esk
