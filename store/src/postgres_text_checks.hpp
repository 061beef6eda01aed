// postgres_text_checks.hpp — what PostgreSQL's text cannot hold: a NUL byte (libpq would also
// cut a text parameter there, so a name "a\0b" would read and write "a"), and, in a UTF-8
// database, bytes that are not UTF-8. Checked before a statement, so that such a name reads as
// absent and such an append is refused alone as invalid_argument instead of failing its whole
// batch as store_unavailable. Internal to store/.
#pragma once

#include <functional>
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

// The longest name (of a stream, a snapshot's stream, a checkpoint's projection) the store
// accepts, in bytes: a B-tree index entry holds at most 2704 bytes, so a longer name that does
// not compress would fail the statement (and an append's whole batch) on the server.
inline constexpr std::size_t longest_postgres_name = 2600;

// As unstorable_text, and also "is N bytes long (at most 2600)" for a longer `name`. Never fails.
std::string unstorable_name_text(std::string_view name);

// How a field's text is judged: a name (of a stream, a snapshot's stream, a checkpoint's
// projection) is indexed, so it is also held to longest_postgres_name; other text is not.
enum class stored_as { name, text };

// invalid_argument "cannot <what()>: its <field> <why>, which PostgreSQL cannot store", where
// <why> is unstorable_name_text(text) for stored_as::name and unstorable_text(text) for
// stored_as::text; nullopt when <why> is "" (PostgreSQL can store `text`). Calls `what` only
// then, so that describing the refused operation ("append to stream 'x'") costs nothing when the
// text is storable. REQUIRES: `what` is callable. Never fails.
std::optional<error> check_storable_field(stored_as judged_as, std::string_view field,
                                          std::string_view text,
                                          const std::function<std::string()>& what);

// invalid_argument naming the field of `request` that PostgreSQL cannot store and why, or
// nullopt when it can store all of them (stream name as unstorable_name_text; each event's
// type, payload and metadata).
std::optional<error> check_storable(const append_request& request);

}  // namespace esk
