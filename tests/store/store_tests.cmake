# esk_store_tests: the event_store contract run against every backend, plus what the SQLite
# and PostgreSQL backends and recorded_event promise on their own (the PostgreSQL tests start one
# throwaway server per run of the binary: postgres_test_server.hpp).
# Included from tests/CMakeLists.txt.
find_package(GTest REQUIRED)
find_package(PostgreSQL REQUIRED)
include(GoogleTest)

add_executable(esk_store_tests
  ${CMAKE_CURRENT_LIST_DIR}/recorded_event_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/result_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/store_contract_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/store_page_read_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/packed_event_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/hash_index_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_store_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/known_streams_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_parallel_reads_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_read_model_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sync_probe_vfs.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postgres_test_server.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postgres_store_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postgres_lone_append_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postgres_redaction_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postgres_reconnection_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postgres_text_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postgres_open_errors_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/commit_follower_test.cpp
)
# The SQLite tests also reach into store/src to inspect the file as another program would;
# sync_probe_vfs watches (and fails) the store's fsyncs from below, through SQLite's VFS.
target_include_directories(esk_store_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../../store/src)
target_link_libraries(esk_store_tests PRIVATE
  esk_store GTest::gtest_main SQLite::SQLite3 PostgreSQL::PostgreSQL Boost::json Threads::Threads)

# One throwaway PostgreSQL for a whole ctest run (ctest runs each test in a process of its own):
# a fixture starts it before the first test that needs it and stops it after the last; the
# tests find it through ESK_TEST_POSTGRES_STATE. Run directly, a test binary starts its own.
add_executable(esk_postgres_test_server
  ${CMAKE_CURRENT_LIST_DIR}/postgres_test_server_main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/postgres_test_server.cpp)
target_include_directories(esk_postgres_test_server PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/../../store/src)
target_link_libraries(esk_postgres_test_server PRIVATE
  esk_store GTest::gtest PostgreSQL::PostgreSQL Threads::Threads)
set(ESK_POSTGRES_TEST_STATE ${CMAKE_CURRENT_BINARY_DIR}/postgres-test-server.state)
add_test(NAME postgres_test_server_start
  COMMAND esk_postgres_test_server start ${ESK_POSTGRES_TEST_STATE})
add_test(NAME postgres_test_server_stop
  COMMAND esk_postgres_test_server stop ${ESK_POSTGRES_TEST_STATE})
set_tests_properties(postgres_test_server_start PROPERTIES FIXTURES_SETUP postgres_server)
set_tests_properties(postgres_test_server_stop PROPERTIES FIXTURES_CLEANUP postgres_server)
set(ESK_POSTGRES_TEST_PROPERTIES
  FIXTURES_REQUIRED postgres_server ENVIRONMENT ESK_TEST_POSTGRES_STATE=${ESK_POSTGRES_TEST_STATE})

gtest_discover_tests(esk_store_tests DISCOVERY_TIMEOUT 30 PROPERTIES ${ESK_POSTGRES_TEST_PROPERTIES})
