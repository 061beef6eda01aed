# esk_install.cmake — how each layer's library and public headers are installed.
#
# Each layer's CMakeLists.txt calls esk_install_library(<target> <export name>) once; the
# package (config file, exported targets) is assembled in event_sourcing_kit_package.cmake.
# Included by each layer (no include guard: variables are per directory).
include(GNUInstallDirs)

# The export set every installed library joins; exported as esk::<export name>.
set(ESK_EXPORT_SET event_sourcing_kit_targets)

# Installs `target` (a library of the calling directory) under the export set with the
# name esk::<export_name>, and its public headers (the calling directory's include/ tree, or
# the folder given as a third argument) under <prefix>/include.
function(esk_install_library target export_name)
  set(header_root ${CMAKE_CURRENT_SOURCE_DIR}/include)
  if(ARGC GREATER 2)
    set(header_root ${ARGV2})
  endif()
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${export_name})
  install(TARGETS ${target} EXPORT ${ESK_EXPORT_SET}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  if(EXISTS ${header_root})
    install(DIRECTORY ${header_root}/
      DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
  endif()
endfunction()
