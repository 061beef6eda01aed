# esk_runtime_tests: the embedding API end to end — JSON codec and command envelopes, aggregate
# behaviour, the actors on both store backends, the async API, concurrency, restart and
# conflicts on SQLite. Included from tests/CMakeLists.txt.
add_executable(esk_runtime_tests
  ${CMAKE_CURRENT_LIST_DIR}/aggregate_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/async_api_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backpressure_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/concurrency_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/command_memory_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/conflict_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/end_to_end_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hot_aggregate_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/idempotent_command_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/event_round_trip_check_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/expected_version_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/group_commit_batching_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/json_codec_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/json_command_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/json_round_trip_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/orders_example_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/paged_rehydration_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/passivation_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pipelined_commit_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postgres_live_delivery_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../store/postgres_test_server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/process_manager_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/projection_checkpoint_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/projection_failure_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/projection_read_failure_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/projection_rebuild_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rehydration_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/rejection_code_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/restart_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/snapshot_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stop_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/testing_kit_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/typed_projection_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/upcasting_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/user_callback_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/versioned_state_test.cpp
)
target_link_libraries(esk_runtime_tests PRIVATE esk_runtime esk_example_users esk_example_orders
  GTest::gtest_main PostgreSQL::PostgreSQL esk_caf)
# The PostgreSQL tests share the store tests' throwaway server (tests/store/store_tests.cmake);
# the command memory's and paged rehydration's tests read the actors' internals (actors/src), and
# the group commit's tests drive the store actor itself (hence CAF).
target_include_directories(esk_runtime_tests PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/../store ${PROJECT_SOURCE_DIR}/store/src
  ${PROJECT_SOURCE_DIR}/actors/src)
# Every aggregate these tests register runs with the runtime's JSON round trip check, which
# release builds (NDEBUG) leave off by default (esk/json_round_trip.hpp).
target_compile_definitions(esk_runtime_tests PRIVATE ESK_CHECK_JSON_ROUND_TRIP=1)
gtest_discover_tests(esk_runtime_tests DISCOVERY_TIMEOUT 60
  PROPERTIES ${ESK_POSTGRES_TEST_PROPERTIES})

# A type registered without a JSON mapping fails to compile with one static_assert line naming
# BOOST_DESCRIBE_STRUCT (not pages of Boost.JSON internals). The snippet is built only by the
# test below, which expects the build to fail that way.
add_library(esk_compile_error_undescribed_types OBJECT EXCLUDE_FROM_ALL
  ${CMAKE_CURRENT_LIST_DIR}/compile_errors/undescribed_event_and_command.cpp)
target_link_libraries(esk_compile_error_undescribed_types PRIVATE esk_runtime)
add_test(NAME RuntimeCompileErrors.UndescribedEventOrCommandIsOneStaticAssertNamingTheMacro
  COMMAND ${CMAKE_COMMAND}
    -DBUILD_DIR=${CMAKE_BINARY_DIR} -DTARGET=esk_compile_error_undescribed_types
    -DCONFIG=$<CONFIG> -DEXPECTED_ERRORS=2 -DEXPECTED_TEXT=BOOST_DESCRIBE_STRUCT -DMAX_LINES=60
    -P ${CMAKE_CURRENT_LIST_DIR}/compile_errors/expect_compile_errors.cmake)
