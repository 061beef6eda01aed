# esk_tools_tests: the command lines in tools/ — the standard application command line
# (in-process), the event-sourcing-kit program (as a separate process) and, slowest, the
# walkthrough that installs the kit, inits an app and builds it (GeneratedApp.*, own timeout).
# Included from tests/CMakeLists.txt.
find_package(GTest REQUIRED)
include(GoogleTest)

add_executable(esk_tools_tests
  ${CMAKE_CURRENT_LIST_DIR}/app_cli_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app_cli_projections_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app_cli_read_only_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app_cli_runtime_options_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/app_cli_upcasting_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/arguments_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/event_listing_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/generated_app_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/kit_init_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/kit_inspection_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/process_runner.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postgres_cli_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../store/postgres_test_server.cpp
)
# The app command line is tested on the User aggregate init ships (from examples/users), and
# its read-only commands on the orders example's domain and read model (esk_example_orders).
target_include_directories(esk_tools_tests PRIVATE ${PROJECT_SOURCE_DIR}/examples/users)
# The PostgreSQL tests start a throwaway server (tests/store/postgres_test_server.hpp).
find_package(PostgreSQL REQUIRED)
target_include_directories(esk_tools_tests PRIVATE ${PROJECT_SOURCE_DIR}/store/src)
# In an instrumented build (cmake/sanitizers.cmake) the installed libraries need the sanitizer
# runtime, so GeneratedApp builds its app with the same -fsanitize flags.
set(app_sanitize_flags "")
if(ESK_SANITIZE STREQUAL "address" OR ESK_FUZZ)
  set(app_sanitize_flags "-fsanitize=address,undefined")
elseif(ESK_SANITIZE STREQUAL "thread")
  set(app_sanitize_flags "-fsanitize=thread")
endif()
target_compile_definitions(esk_tools_tests PRIVATE
  ESK_APP_SANITIZE_FLAGS="${app_sanitize_flags}"
  ESK_KIT_BINARY="$<TARGET_FILE:event-sourcing-kit>"
  ESK_KIT_VERSION="${PROJECT_VERSION}"
  ESK_BUILD_DIR="${PROJECT_BINARY_DIR}"
  ESK_CMAKE_COMMAND="${CMAKE_COMMAND}"
  ESK_CTEST_COMMAND="${CMAKE_CTEST_COMMAND}"
  ESK_CXX_COMPILER="${CMAKE_CXX_COMPILER}")
target_link_libraries(esk_tools_tests PRIVATE
  esk_app_cli esk_example_orders GTest::gtest_main SQLite::SQLite3 PostgreSQL::PostgreSQL
  Threads::Threads)
# GeneratedApp installs the build tree, so everything installed must be built first.
add_dependencies(esk_tools_tests event-sourcing-kit)

if(CMAKE_VERSION VERSION_LESS 3.22)  # no TEST_FILTER: one timeout for all
  gtest_discover_tests(esk_tools_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 600
    ${ESK_POSTGRES_TEST_PROPERTIES})
else()
  # The PostgreSQL tests share the ctest run's server (tests/store/store_tests.cmake).
  gtest_discover_tests(esk_tools_tests DISCOVERY_TIMEOUT 30 TEST_FILTER "-GeneratedApp.*"
    PROPERTIES TIMEOUT 120 ${ESK_POSTGRES_TEST_PROPERTIES})
  gtest_discover_tests(esk_tools_tests DISCOVERY_TIMEOUT 30 TEST_FILTER "GeneratedApp.*"
    PROPERTIES TIMEOUT 600 LABELS slow)
endif()
