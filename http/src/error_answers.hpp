// How errors become HTTP answers: one status per esk::error_kind, one JSON body shape.
#pragma once

#include <string>
#include <string_view>

#include "esk/error.hpp"
#include "http_types.hpp"

namespace esk::http_detail {

// The status an error of `kind` is answered with (docs/HTTP.md): rejected, bad_payload and
// invalid_argument 422; conflict 409; bad_json 400; unknown_command, unknown_aggregate 404;
// overloaded, store_unavailable, shutting_down, timeout 503; the rest 500.
http::status status_for(error_kind kind) noexcept;

// An answer with the error body {"error": {"kind": .., "message": .., "field": ..}} ("field"
// only when the message names one, as bad_payload's do) and, for 503, Retry-After: 1.
// `version` and `keep_alive` are the request's.
response error_response(http::status status, std::string_view kind, std::string_view message,
                        unsigned version, bool keep_alive);

// As above, for an esk::error (status from status_for); when the error carries the stream's
// version (a conflict), the body's "current_version" and the ETag give it.
response error_response(const error& failure, unsigned version, bool keep_alive);

// A 200 (or `status`) answer with a body of `content_type`.
response body_response(http::status status, std::string body, std::string_view content_type,
                       unsigned version, bool keep_alive);

}  // namespace esk::http_detail
