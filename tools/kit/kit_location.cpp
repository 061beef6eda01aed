#include "kit_location.hpp"

namespace esk::kit {

std::optional<std::filesystem::path> kit_program() {
  std::error_code failure;
  std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", failure);
  if (failure) return std::nullopt;
  return executable;
}

std::optional<std::filesystem::path> kit_package_prefix() {
  namespace fs = std::filesystem;
  auto executable = kit_program();
  if (!executable) return std::nullopt;
  // Installed: <prefix>/bin/event-sourcing-kit. Build tree: <build>/tools/event-sourcing-kit.
  // Either way the prefix is the parent of the binary's folder.
  fs::path prefix = executable->parent_path().parent_path();
  std::error_code failure;
  fs::path config = prefix / ESK_PACKAGE_CONFIG_DIR / "event_sourcing_kitConfig.cmake";
  if (!fs::exists(config, failure)) return std::nullopt;
  return prefix;
}

}  // namespace esk::kit
