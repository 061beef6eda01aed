# esk_http_tests: the HTTP front (esk_http) through a real HTTP client on loopback ports —
# every endpoint and status code, the live feed, limits, the bearer token, and `serve` as a
# child process stopped by SIGTERM. Included from tests/CMakeLists.txt.
add_executable(esk_http_tests
  ${CMAKE_CURRENT_LIST_DIR}/browser_page_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commands_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/devtools_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/group_commit_metrics_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/http_client.cpp
  ${CMAKE_CURRENT_LIST_DIR}/if_match_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/live_feed_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/page_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reads_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rejection_code_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/security_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/status_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stream_listing_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/upcasting_reads_test.cpp
)
target_link_libraries(esk_http_tests PRIVATE esk_http esk_example_users GTest::gtest_main
  Boost::headers Threads::Threads)
# The SIGTERM test runs the users example's `serve` as a child process (when examples are built).
if(TARGET users_example)
  target_sources(esk_http_tests PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/serve_process.cpp
    ${CMAKE_CURRENT_LIST_DIR}/serve_test.cpp)
  target_compile_definitions(esk_http_tests PRIVATE
    ESK_USERS_EXAMPLE="$<TARGET_FILE:users_example>")
  add_dependencies(esk_http_tests users_example)
endif()
# The live feed on PostgreSQL and the gap-wait metrics share the store tests' throwaway server
# (store_tests.cmake).
target_sources(esk_http_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/gap_wait_metrics_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postgres_live_feed_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../store/postgres_test_server.cpp)
target_include_directories(esk_http_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/../store ${PROJECT_SOURCE_DIR}/store/src)
target_link_libraries(esk_http_tests PRIVATE PostgreSQL::PostgreSQL)
gtest_discover_tests(esk_http_tests DISCOVERY_TIMEOUT 30
  PROPERTIES TIMEOUT 120 ${ESK_POSTGRES_TEST_PROPERTIES})
