// GET /, /page.js, /page.css: the browser page, from the files embedded in the binary.
#include "error_answers.hpp"
#include "page_files.hpp"
#include "routes.hpp"

namespace esk::http_detail {
namespace {

std::string_view content_type_of(std::string_view path) {
  if (path.size() >= 3 && path.substr(path.size() - 3) == ".js") return "text/javascript";
  if (path.size() >= 4 && path.substr(path.size() - 4) == ".css") return "text/css";
  return "text/html; charset=utf-8";
}

}  // namespace

bool answer_page(const std::shared_ptr<connection>& from, const request& req,
                 const request_target& target) {
  const std::string_view wanted =
      target.segments.empty() ? std::string_view("index.html") : target.segments[0];
  if (target.segments.size() > 1) return false;
  for (const auto& file : page_files()) {
    if (file.path != wanted) continue;
    from->answer(body_response(http::status::ok, std::string(file.contents),
                               content_type_of(file.path), req.version(), req.keep_alive()));
    return true;
  }
  return false;
}

}  // namespace esk::http_detail
