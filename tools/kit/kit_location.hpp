// kit_location.hpp — where the running event-sourcing-kit is: its program, so a project made
// by `init` can name it by full path (an install prefix's bin/ is usually not on PATH), and its
// CMake package, so the project finds the same kit without the user passing CMAKE_PREFIX_PATH.
#pragma once

#include <filesystem>
#include <optional>

namespace esk::kit {

// The full path of the running event-sourcing-kit program (symlinks resolved), or nullopt
// when the system does not say (no /proc). Never throws.
std::optional<std::filesystem::path> kit_program();

// The prefix holding the package this binary belongs to: the install prefix for an installed
// binary (<prefix>/bin/event-sourcing-kit), the build directory for one run from a build tree.
// nullopt when neither holds the package config (a copied binary). Never throws.
std::optional<std::filesystem::path> kit_package_prefix();

}  // namespace esk::kit
