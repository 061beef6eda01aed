#!/usr/bin/env bash
# Configures and builds event-sourcing-kit into build/ (Release with debug info).
# Usage: scripts/build.sh [cmake --build arguments, e.g. --target users_example]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs" "$@"
