#!/usr/bin/env bash
# Installs the Debian packages event-sourcing-kit builds with. Idempotent and quick when
# everything is already there (it asks dpkg first and runs apt only for what is missing).
set -euo pipefail

packages=(
  build-essential cmake
  libcaf-dev                 # the actor framework (0.17 on Debian bookworm)
  libboost-json1.81-dev      # Boost.JSON + Boost.Describe 1.81
  libsqlite3-dev sqlite3     # the embedded store
  libpq-dev                  # the PostgreSQL store's client library
  postgresql                 # the throwaway server the PostgreSQL store tests start
  libgtest-dev               # GoogleTest
  chromium                   # the headless browser the browser page's test drives
  libmimalloc-dev libjemalloc-dev  # the opt-in allocators (esk_use_allocator) and their test
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
