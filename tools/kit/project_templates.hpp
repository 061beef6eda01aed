// project_templates.hpp — the files `event-sourcing-kit init` writes, embedded in the binary
// at build time from tools/templates/ and the examples (see tools/CMakeLists.txt and
// cmake/embed_files.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace esk::kit {

// One template file: its path relative to the project folder and its text, which may hold the
// placeholders @APP_NAME@, @KIT_VERSION@, @KIT_HINTS@, @KIT_PROGRAM@ (the full path of the
// kit that ran init, shell-quoted if needed) and @KIT_BIN_DIR@ (its folder).
struct embedded_file {
  std::string_view path;
  std::string_view contents;
};

// The `app` template (the default): the skeleton with the users example's User domain, ordered
// by path. Generated code; never fails.
const std::vector<embedded_file>& project_template_files();

// The `orders` template: orders, payments and shipments with a process manager and a SQLite
// read model (the orders example), ordered by path. Generated code; never fails.
const std::vector<embedded_file>& orders_template_files();

}  // namespace esk::kit
