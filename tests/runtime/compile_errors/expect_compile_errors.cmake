# Builds TARGET in BUILD_DIR (configuration CONFIG) and passes when the build fails with exactly
# EXPECTED_ERRORS compiler error lines, each containing EXPECTED_TEXT, in at most MAX_LINES
# lines of compiler output. Run by CTest as `cmake -D... -P expect_compile_errors.cmake`.
foreach(variable BUILD_DIR TARGET EXPECTED_ERRORS EXPECTED_TEXT MAX_LINES)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "expect_compile_errors.cmake: ${variable} is not set")
  endif()
endforeach()

set(config_arguments)
if(CONFIG)
  set(config_arguments --config ${CONFIG})
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET} ${config_arguments}
  RESULT_VARIABLE build_result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)

if(build_result EQUAL 0)
  message(FATAL_ERROR "${TARGET} compiled, but it must not:\n${output}")
endif()

# Compiler diagnostics only ("file:line:col: error: ..."), not the build tool's own lines.
# (Semicolons would split the list of matches: the messages contain some.)
string(REPLACE ";" "," output "${output}")
string(REGEX MATCHALL "[^\n]*: error: [^\n]*" errors "${output}")
list(LENGTH errors error_count)
if(NOT error_count EQUAL EXPECTED_ERRORS)
  message(FATAL_ERROR
    "expected ${EXPECTED_ERRORS} error lines, got ${error_count}:\n${output}")
endif()
foreach(error IN LISTS errors)
  string(FIND "${error}" "${EXPECTED_TEXT}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "an error line does not name ${EXPECTED_TEXT}:\n${error}\n\n${output}")
  endif()
endforeach()
string(REGEX MATCHALL "\n" newlines "${output}")
list(LENGTH newlines line_count)
if(line_count GREATER MAX_LINES)
  message(FATAL_ERROR
    "expected at most ${MAX_LINES} lines of output, got ${line_count}:\n${output}")
endif()
message(STATUS "${TARGET} fails to compile as expected (${error_count} errors, ${line_count} "
  "lines):\n${output}")
