// The browser page's files (http/page/), embedded at build time (cmake/embed_files.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace esk::http_detail {

struct embedded_file {
  std::string_view path;  // "index.html", "page.js", "page.css"
  std::string_view contents;
};

// Every file of the page. Generated code; never fails.
const std::vector<embedded_file>& page_files();

}  // namespace esk::http_detail
