# esk_runtime_tests: the embedding API end to end — JSON codec and command envelopes, aggregate
# behaviour, the actors on both store backends, the async API, concurrency, restart and
# conflicts on SQLite. Included from tests/CMakeLists.txt.
add_executable(esk_runtime_tests
  ${CMAKE_CURRENT_LIST_DIR}/aggregate_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/async_api_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/concurrency_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/conflict_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/end_to_end_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/json_codec_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/json_command_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/restart_test.cpp
)
target_link_libraries(esk_runtime_tests PRIVATE esk_runtime esk_example_users GTest::gtest_main)
gtest_discover_tests(esk_runtime_tests DISCOVERY_TIMEOUT 60)
