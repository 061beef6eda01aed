#!/usr/bin/env bash
# Builds and runs the users example on the embedded SQLite store (users.db in the repo root).
# Run it twice: the second run's CreateUser is rejected and the state is the first run's.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh --target users_example
./build/examples/users/users_example --db "${1:-users.db}"
