# The opt-in allocator (cmake/esk_allocator.cmake): a probe linked through esk_use_allocator
# must run with that allocator's malloc. One probe per allocator whose package is installed
# (scripts/setup.sh installs both); a missing one is reported at configure time, not failed.
include(${PROJECT_SOURCE_DIR}/cmake/esk_allocator.cmake)
# A sanitizer's runtime takes malloc over itself (ASan, TSan), so no probe can see the allocator.
if(ESK_SANITIZE OR ESK_FUZZ)
  message(STATUS "allocator test: not built in a sanitizer build (the sanitizer owns malloc)")
  return()
endif()
foreach(allocator system mimalloc jemalloc)
  if(NOT allocator STREQUAL "system")
    find_library(ESK_${allocator}_LIBRARY NAMES ${allocator})
    if(NOT ESK_${allocator}_LIBRARY)
      message(STATUS "allocator test: lib${allocator} not installed, its probe is not built")
      continue()
    endif()
  endif()
  add_executable(esk_allocator_probe_${allocator} ${CMAKE_CURRENT_LIST_DIR}/allocator_probe.cpp)
  target_link_libraries(esk_allocator_probe_${allocator} PRIVATE ${CMAKE_DL_LIBS})
  esk_use_allocator(esk_allocator_probe_${allocator} ${allocator})
  add_test(NAME esk_allocator_${allocator}
           COMMAND esk_allocator_probe_${allocator} ${allocator})
  set_tests_properties(esk_allocator_${allocator} PROPERTIES TIMEOUT 30)
endforeach()
