#!/usr/bin/env bash
# Builds everything and runs every test suite: the normal build (build/), then the same tests
# under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/) and the actor/runtime
# suites under ThreadSanitizer (build-tsan/). `scripts/test.sh --quick` runs only the first.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
bash scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc 2>/dev/null || echo 2)"
echo "test.sh: normal build and tests passed ($((SECONDS - started)) s)"
if [[ ${1:-} == --quick ]]; then exit 0; fi
bash scripts/test-sanitizers.sh asan
echo "test.sh: ASan+UBSan build and tests passed ($((SECONDS - started)) s)"
bash scripts/test-sanitizers.sh tsan
echo "test.sh: TSan build of the runtime, reliability and HTTP tests passed ($((SECONDS - started)) s)"
