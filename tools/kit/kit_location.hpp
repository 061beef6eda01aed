// kit_location.hpp — where the running event-sourcing-kit's CMake package is, so a project
// made by `init` finds the same kit without the user passing CMAKE_PREFIX_PATH.
#pragma once

#include <filesystem>
#include <optional>

namespace esk::kit {

// The prefix holding the package this binary belongs to: the install prefix for an installed
// binary (<prefix>/bin/event-sourcing-kit), the build directory for one run from a build tree.
// nullopt when neither holds the package config (a copied binary). Never throws.
std::optional<std::filesystem::path> kit_package_prefix();

}  // namespace esk::kit
