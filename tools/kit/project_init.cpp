#include "project_init.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "esk/cli/exit_code.hpp"
#include "kit_location.hpp"
#include "project_templates.hpp"

namespace esk::kit {
namespace {

namespace fs = std::filesystem;

constexpr const char* program = "event-sourcing-kit";

// A template init can write: its name (--template), its files and what its next steps show.
struct project_template {
  std::string_view name;
  const std::vector<embedded_file>& (*files)();
  std::string_view summary;                  // what the app holds, for `init`'s first line
  std::vector<std::string_view> next_steps;  // the app's own commands after the demo
};

const project_template templates[] = {
    {"app", project_template_files, "a User aggregate", {"state User 42"}},
    {"orders",
     orders_template_files,
     "orders, payments and shipments, a process manager and a SQLite read model",
     {"state Order 1", "projections"}},
};

// The template called `name`, or nullptr.
const project_template* find_template(const std::string& name) {
  for (const auto& candidate : templates)
    if (candidate.name == name) return &candidate;
  return nullptr;
}

std::string template_names() {
  std::string names;
  for (const auto& candidate : templates)
    names += (names.empty() ? "" : ", ") + std::string(candidate.name);
  return names;
}

int refuse(std::ostream& err, cli::exit_code code, const std::string& message) {
  err << program << ": init: " << message << '\n';
  return code;
}

// A name usable as a CMake project and target, a file name and in a C++ string literal.
bool is_valid_app_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || !std::isalpha(static_cast<unsigned char>(name[0])))
    return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '_' && c != '-') return false;
  return true;
}

// The folder's own name: "myapp" for "myapp", "myapp/" and "./myapp/.".
std::string folder_name(const fs::path& dir) {
  fs::path normal = fs::absolute(dir).lexically_normal();
  if (!normal.has_filename()) normal = normal.parent_path();
  return normal.filename().string();
}

bool is_empty_or_missing(const fs::path& dir, std::error_code& failure) {
  if (!fs::exists(dir, failure)) return true;
  return fs::is_directory(dir, failure) && fs::is_empty(dir, failure);
}

// A CMake double-quoted argument holding `path`.
std::string cmake_quoted(const std::string& path) {
  std::string quoted = "\"";
  for (char c : path) {
    if (c == '"' || c == '\\' || c == '$') quoted += '\\';
    quoted += c;
  }
  return quoted + '"';
}

// `text` as one shell word: as is when it holds only characters no shell treats specially,
// else in single quotes.
std::string shell_quoted(const std::string& text) {
  const bool plain = !text.empty() && text.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789/._-+=:,@%") == std::string::npos;
  if (plain) return text;
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// How the project's README and init's next steps call the kit that wrote them: by full path
// (an install prefix's bin/ is not on PATH), or by name when the path is unknown.
std::string kit_command() {
  auto program = kit_program();
  return program ? shell_quoted(program->string()) : "event-sourcing-kit";
}

// The folder to put on PATH to call the kit by name.
std::string kit_bin_dir() {
  auto program = kit_program();
  return program ? shell_quoted(program->parent_path().string()) : "<prefix>/bin";
}

void replace_all(std::string& text, const std::string& placeholder, const std::string& value) {
  for (auto at = text.find(placeholder); at != std::string::npos;
       at = text.find(placeholder, at + value.size()))
    text.replace(at, placeholder.size(), value);
}

std::string rendered(std::string_view contents, const std::string& app_name) {
  std::string text(contents);
  auto prefix = kit_package_prefix();
  replace_all(text, "@APP_NAME@", app_name);
  replace_all(text, "@KIT_VERSION@", ESK_KIT_VERSION);
  replace_all(text, "@KIT_HINTS@", prefix ? " HINTS " + cmake_quoted(prefix->string()) : "");
  replace_all(text, "@KIT_PROGRAM@", kit_command());
  replace_all(text, "@KIT_BIN_DIR@", kit_bin_dir());
  return text;
}

// Writes every file of `chosen` into `dir`. Returns the number of files, or the path that failed.
result<std::size_t> write_project(const project_template& chosen, const fs::path& dir,
                                  const std::string& app_name) {
  for (const auto& file : chosen.files()) {
    fs::path target = dir / std::string(file.path);
    std::error_code failure;
    fs::create_directories(target.parent_path(), failure);
    std::ofstream stream(target, std::ios::binary | std::ios::trunc);
    stream << rendered(file.contents, app_name);
    stream.close();
    if (failure || !stream)
      return error{error_kind::invalid_argument,
                   "cannot write '" + target.string() + "'" +
                       (failure ? ": " + failure.message() : std::string())};
  }
  return chosen.files().size();
}

void write_next_steps(const project_template& chosen, const fs::path& dir,
                      const std::string& app_name, std::size_t files, std::ostream& out) {
  out << "created " << app_name << " in " << dir.string() << " (" << files << " files, "
      << chosen.summary << ")\n"
      << "next:\n"
      << "  cd " << dir.string() << '\n'
      << "  cmake -S . -B build && cmake --build build\n"
      << "  ./build/" << app_name << "            # the demo; run it twice\n";
  for (std::string_view step : chosen.next_steps)
    out << "  ./build/" << app_name << ' ' << step << '\n';
  out << "  ./build/" << app_name << " help\n"
      << "  " << kit_command() << " events " << app_name << ".db   # inspect the store\n";
}

}  // namespace

cli::option_spec init_options() { return {{"name", "template"}, {"force"}}; }

int run_init(const cli::arguments& args, std::ostream& out, std::ostream& err) {
  if (args.positional().size() != 1)
    return refuse(err, cli::exit_bad_input,
                  "expected one folder (init <dir> [--name NAME] [--template NAME])");
  const std::string template_name = args.value("template").value_or("app");
  const project_template* chosen = find_template(template_name);
  if (chosen == nullptr)
    return refuse(
        err, cli::exit_bad_input,
        "unknown template '" + template_name + "' (the templates: " + template_names() + ")");
  const fs::path dir = args.positional().front();
  const std::string app_name = args.value("name").value_or(folder_name(dir));
  if (!is_valid_app_name(app_name))
    return refuse(err, cli::exit_bad_input,
                  "'" + app_name +
                      "' is not a valid app name (a letter, then letters, digits, '_' or '-'); "
                      "choose one with --name");
  std::error_code failure;
  if (fs::exists(dir, failure) && !fs::is_directory(dir, failure))
    return refuse(err, cli::exit_bad_input, "'" + dir.string() + "' is not a folder");
  if (!is_empty_or_missing(dir, failure) && !args.flag("force"))
    return refuse(err, cli::exit_bad_input,
                  "'" + dir.string() + "' is not empty (use --force to write into it anyway)");
  auto written = write_project(*chosen, dir, app_name);
  if (!written) return refuse(err, cli::exit_failure, written.error_value().message);
  write_next_steps(*chosen, dir, app_name, *written, out);
  return cli::exit_success;
}

}  // namespace esk::kit
