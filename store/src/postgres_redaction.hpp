// postgres_redaction.hpp — keeping passwords out of messages: a connection string as it may be
// shown, and libpq's messages about it (which may quote the string or pieces of it). Internal
// to store/.
#pragma once

#include <string>

namespace esk {

// `location` with any password in it replaced by "***", so messages never show one: the
// password of a URI's user information (up to the last '@', so that one holding an unencoded
// '/' or '@' is hidden whole), of a "password=" or "sslpassword=" query parameter or keyword.
// Also redacts a URI that appears inside a longer text. May hide more than the password (an
// '@' later in the URI); never less. Never fails.
std::string redact_password(const std::string& location);

// `message` (libpq's, about connecting with `conninfo`) with every password of `conninfo`
// replaced by "***": as written and percent-decoded, a quoted token of the message that is
// part of one (libpq quotes the port or host it took from a password holding an unencoded '/'
// or '@'), and any URI the message quotes. Never fails.
std::string redact_connection_message(const std::string& message, const std::string& conninfo);

}  // namespace esk
