// The bearer token check: constant time, so a wrong guess does not learn how much was right.
#pragma once

#include <string_view>

namespace esk::http_detail {

// True when the Authorization header value `authorization` is "Bearer <expected>". Its time
// depends on the lengths only, never on where the first difference is.
bool bearer_token_matches(std::string_view authorization, std::string_view expected) noexcept;

}  // namespace esk::http_detail
