# Instrumented builds, for the reliability work (docs/RELIABILITY.md):
#   -DESK_SANITIZE=address  AddressSanitizer + UndefinedBehaviorSanitizer (any UB aborts the test)
#   -DESK_SANITIZE=thread   ThreadSanitizer
#   -DESK_FUZZ=ON           libFuzzer targets in fuzz/ (clang only; implies ASan + UBSan)
# Included from the top-level CMakeLists.txt before any target, so every target is instrumented.
set(ESK_SANITIZE "" CACHE STRING "Sanitizers to build with: address (ASan+UBSan), thread (TSan) or empty")
set_property(CACHE ESK_SANITIZE PROPERTY STRINGS "" address thread)
option(ESK_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)

if(ESK_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
elseif(ESK_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT ESK_SANITIZE STREQUAL "")
  message(FATAL_ERROR "ESK_SANITIZE must be address, thread or empty, not '${ESK_SANITIZE}'")
endif()

if(ESK_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "ESK_FUZZ needs clang: configure with -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  if(NOT ESK_SANITIZE STREQUAL "")
    message(FATAL_ERROR "ESK_FUZZ brings its own sanitizers: leave ESK_SANITIZE empty")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # Targets are resolved when the build is generated, so fuzz/ may name libraries defined later.
  add_subdirectory(${PROJECT_SOURCE_DIR}/fuzz ${PROJECT_BINARY_DIR}/fuzz)
endif()
