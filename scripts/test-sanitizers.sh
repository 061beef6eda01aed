#!/usr/bin/env bash
# Builds and runs the tests under the sanitizers (docs/RELIABILITY.md):
#   build-asan  ESK_SANITIZE=address (ASan + UBSan): every test suite
#   build-tsan  ESK_SANITIZE=thread  (TSan): the runtime, reliability and HTTP suites (threads)
# Usage: scripts/test-sanitizers.sh [asan|tsan]   (default: both)
# TSan needs a CAF built with -fsanitize=thread: Debian's libcaf_core is not instrumented, so TSan
# cannot see CAF's mailbox synchronisation and reports thousands of false races on every message.
# ESK_TSAN_CAF_LIBRARY names an instrumented libcaf_core.so; by default scripts/build-tsan-caf.sh
# builds one (once, into build-tsan-caf/) and the TSan binaries load it through their RUNPATH.
# Benchmarks are not built; about 20 minutes on 2 cores from scratch for asan, much less
# incrementally; tsan about 3.5 minutes from scratch (CAF included), seconds incrementally.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
which=${1:-all}
common=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DESK_BUILD_TESTS=ON -DESK_BUILD_BENCHMARKS=OFF
        -DESK_BUILD_EXAMPLES=ON)

# A sanitizer report fails the test that caused it.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

if [[ $which == all || $which == asan ]]; then
  echo "== ASan+UBSan: build-asan, all tests"
  cmake -S . -B build-asan -DESK_SANITIZE=address "${common[@]}" >/dev/null
  cmake --build build-asan -j "$jobs"
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
fi

if [[ $which == all || $which == tsan ]]; then
  echo "== TSan: build-tsan, runtime, reliability and HTTP tests"
  caf_library=${ESK_TSAN_CAF_LIBRARY:-$(bash scripts/build-tsan-caf.sh)}
  echo "-- CAF: $caf_library"
  cmake -S . -B build-tsan -DESK_SANITIZE=thread "${common[@]}" \
    -DESK_CAF_CORE_LIBRARY="$caf_library" >/dev/null
  # Only the actor-heavy suites (and the child processes the reliability and HTTP tests spawn).
  # (Read the target list once: `grep -q` in a pipe would SIGPIPE cmake and, under pipefail,
  # make every target look absent, so the whole tree would be built.)
  available=$(cmake --build build-tsan --target help)
  targets=()
  for target in esk_runtime_tests esk_reliability_tests esk_reliability_writer esk_http_tests; do
    if grep -q "^\.\.\. ${target}\$" <<<"$available"; then
      targets+=(--target "$target")
    fi
  done
  cmake --build build-tsan -j "$jobs" "${targets[@]}"
  # Run the two binaries directly: ctest names carry no binary (the runtime suite has no prefix).
  for target in esk_runtime_tests esk_reliability_tests esk_http_tests; do
    if [[ -x build-tsan/tests/$target ]]; then
      echo "-- $target"
      build-tsan/tests/$target --gtest_brief=1
    fi
  done
fi
