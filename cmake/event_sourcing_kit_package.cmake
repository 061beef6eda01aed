# event_sourcing_kit_package.cmake — the CMake package applications find with
#
#   find_package(event_sourcing_kit 0.1 REQUIRED)
#   target_link_libraries(app PRIVATE esk::app_cli)   # or esk::runtime
#
# in two places: the install tree (<prefix>/<libdir>/cmake/event_sourcing_kit) and the build
# tree (<build>/<libdir>/cmake/event_sourcing_kit, for people hacking on the kit). Either way
# an application points CMAKE_PREFIX_PATH at the prefix or at the build directory.
# Include after every esk_install_library call.
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/esk_install.cmake)
include(CMakePackageConfigHelpers)

set(ESK_PACKAGE_NAME event_sourcing_kit)
set(ESK_PACKAGE_CONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/${ESK_PACKAGE_NAME})

# CAF is linked privately by esk::actors, but a static library hands its private link
# dependencies on to the application. Debian's CAF has no CMake package, so the exported
# esk::caf names the library through esk::caf_core, which the package config finds again on
# the user's machine instead of baking in this machine's path.
set_target_properties(esk_caf PROPERTIES
  EXPORT_NAME caf
  INTERFACE_LINK_LIBRARIES
    "$<BUILD_INTERFACE:${ESK_CAF_CORE_LIBRARY}>;$<INSTALL_INTERFACE:esk::caf_core>;Threads::Threads"
  INTERFACE_INCLUDE_DIRECTORIES "$<BUILD_INTERFACE:${ESK_CAF_INCLUDE_DIR}>"
  INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "$<BUILD_INTERFACE:${ESK_CAF_INCLUDE_DIR}>")
install(TARGETS esk_caf EXPORT ${ESK_EXPORT_SET})

configure_file(${CMAKE_CURRENT_LIST_DIR}/event_sourcing_kitConfig.cmake.in
  ${PROJECT_BINARY_DIR}/${ESK_PACKAGE_CONFIG_DIR}/${ESK_PACKAGE_NAME}Config.cmake @ONLY)
# 0.x: a new minor version may break the API, so only the same minor version matches.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/${ESK_PACKAGE_CONFIG_DIR}/${ESK_PACKAGE_NAME}ConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)

# The build tree as a package.
export(EXPORT ${ESK_EXPORT_SET} NAMESPACE esk::
  FILE ${PROJECT_BINARY_DIR}/${ESK_PACKAGE_CONFIG_DIR}/${ESK_PACKAGE_NAME}Targets.cmake)

# The install tree as a package.
install(EXPORT ${ESK_EXPORT_SET} NAMESPACE esk::
  FILE ${ESK_PACKAGE_NAME}Targets.cmake DESTINATION ${ESK_PACKAGE_CONFIG_DIR})
# esk_use_allocator() for applications, beside the config that includes it.
configure_file(${CMAKE_CURRENT_LIST_DIR}/esk_allocator.cmake
  ${PROJECT_BINARY_DIR}/${ESK_PACKAGE_CONFIG_DIR}/esk_allocator.cmake COPYONLY)
install(FILES
  ${PROJECT_BINARY_DIR}/${ESK_PACKAGE_CONFIG_DIR}/esk_allocator.cmake
  ${PROJECT_BINARY_DIR}/${ESK_PACKAGE_CONFIG_DIR}/${ESK_PACKAGE_NAME}Config.cmake
  ${PROJECT_BINARY_DIR}/${ESK_PACKAGE_CONFIG_DIR}/${ESK_PACKAGE_NAME}ConfigVersion.cmake
  DESTINATION ${ESK_PACKAGE_CONFIG_DIR})
