# esk_allocator.cmake — esk_use_allocator(): an application's opt-in replacement for malloc.
#
#   esk_use_allocator(<executable target> <system|mimalloc|jemalloc>)
#
# Links the executable against Debian's mimalloc (package libmimalloc-dev) or jemalloc
# (libjemalloc-dev). Both define malloc and free, so the whole process (operator new, Boost.JSON,
# CAF, SQLite) allocates through them. `system` (or an empty string) keeps glibc's malloc. A
# missing library is a configure error naming the package to install. docs/BENCHMARKS.md has the
# figures that tell whether it pays ("Allocator choice").
include_guard(GLOBAL)

function(esk_use_allocator target allocator)
  if(allocator STREQUAL "system" OR allocator STREQUAL "")
    return()
  elseif(allocator STREQUAL "mimalloc")
    set(package libmimalloc-dev)
  elseif(allocator STREQUAL "jemalloc")
    set(package libjemalloc-dev)
  else()
    message(FATAL_ERROR
      "esk_use_allocator(${target} ${allocator}): unknown allocator '${allocator}' "
      "(expected system, mimalloc or jemalloc)")
  endif()
  find_library(ESK_${allocator}_LIBRARY NAMES ${allocator})
  if(NOT ESK_${allocator}_LIBRARY)
    message(FATAL_ERROR
      "esk_use_allocator(${target} ${allocator}): lib${allocator} not found; "
      "install Debian's ${package}")
  endif()
  # The executable calls none of the allocator's own functions, so a linker that drops unused
  # libraries (--as-needed) would drop it and leave glibc's malloc in place: keep it linked.
  target_link_libraries(${target} PRIVATE
    -Wl,--push-state,--no-as-needed ${ESK_${allocator}_LIBRARY} -Wl,--pop-state)
endfunction()
