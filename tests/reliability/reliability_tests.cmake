# esk_reliability_tests: what must hold when things go wrong — crashes (SIGKILL), two writers on
# one file, processes racing to create one store, bad input, broken or full store files, and the
# fuzz targets' regression inputs, several nodes on one PostgreSQL store (in-process senders, and
# over HTTP). esk_reliability_writer is the child process the crash, two-writer and
# store-creation tests spawn; esk_reliability_node is one node of the several-nodes tests.
# Included from tests/CMakeLists.txt.
set(ESK_RELIABILITY_DIR ${CMAKE_CURRENT_LIST_DIR})

add_executable(esk_reliability_writer ${ESK_RELIABILITY_DIR}/writer_main.cpp)
target_link_libraries(esk_reliability_writer PRIVATE esk_runtime Threads::Threads)
add_executable(esk_reliability_node ${ESK_RELIABILITY_DIR}/node_main.cpp)
target_link_libraries(esk_reliability_node PRIVATE esk_runtime esk_http Threads::Threads)

add_executable(esk_reliability_tests
  ${ESK_RELIABILITY_DIR}/bad_input_test.cpp
  ${ESK_RELIABILITY_DIR}/child_process.cpp
  ${ESK_RELIABILITY_DIR}/conflict_retry_test.cpp
  ${ESK_RELIABILITY_DIR}/crash_test.cpp
  ${ESK_RELIABILITY_DIR}/fuzz_regression_test.cpp
  ${ESK_RELIABILITY_DIR}/projection_crash_test.cpp
  ${ESK_RELIABILITY_DIR}/several_nodes_test.cpp
  ${ESK_RELIABILITY_DIR}/../store/postgres_test_server.cpp
  ${ESK_RELIABILITY_DIR}/../http/http_client.cpp
  ${ESK_RELIABILITY_DIR}/../http/serve_process.cpp
  ${ESK_RELIABILITY_DIR}/small_filesystem.cpp
  ${ESK_RELIABILITY_DIR}/store_audit.cpp
  ${ESK_RELIABILITY_DIR}/store_creation_race_test.cpp
  ${ESK_RELIABILITY_DIR}/store_file_test.cpp
  ${ESK_RELIABILITY_DIR}/two_writers_test.cpp
  ${PROJECT_SOURCE_DIR}/fuzz/command_decoding.cpp
  ${PROJECT_SOURCE_DIR}/fuzz/store_opening.cpp
)
# The fuzz entry points reach the JSON envelope parser in runtime/src, which has no public header.
# The several-nodes tests share the store tests' throwaway PostgreSQL (store_tests.cmake) and,
# over HTTP, the HTTP tests' client and child-process reader.
target_include_directories(esk_reliability_tests PRIVATE
  ${PROJECT_SOURCE_DIR}/fuzz ${PROJECT_SOURCE_DIR}/runtime/src
  ${ESK_RELIABILITY_DIR}/../store ${ESK_RELIABILITY_DIR}/../http ${PROJECT_SOURCE_DIR}/store/src)
target_compile_definitions(esk_reliability_tests PRIVATE
  ESK_RELIABILITY_WRITER="$<TARGET_FILE:esk_reliability_writer>"
  ESK_RELIABILITY_NODE="$<TARGET_FILE:esk_reliability_node>"
  ESK_FUZZ_INPUTS_DIR="${PROJECT_SOURCE_DIR}/fuzz")
target_link_libraries(esk_reliability_tests PRIVATE
  esk_runtime GTest::gtest_main SQLite::SQLite3 Boost::json Boost::headers Threads::Threads
  PostgreSQL::PostgreSQL)
add_dependencies(esk_reliability_tests esk_reliability_writer esk_reliability_node)
gtest_discover_tests(esk_reliability_tests TEST_PREFIX "reliability." DISCOVERY_TIMEOUT 60
  PROPERTIES LABELS reliability ${ESK_POSTGRES_TEST_PROPERTIES})
