#!/usr/bin/env bash
# Builds CAF's libcaf_core with ThreadSanitizer for the TSan test build (docs/RELIABILITY.md) and
# prints the path of the instrumented libcaf_core.so on stdout (everything else goes to stderr).
#
# Why: Debian's libcaf_core.so is not built with -fsanitize=thread, so TSan cannot see the
# synchronisation inside CAF's mailboxes and scheduler and reports every message as a race.
# This builds the same release Debian ships (0.17.6, whose headers we compile against from
# /usr/include/caf) with the same build_config.hpp, so the ABI matches; only libcaf_core, shared,
# -fsanitize=thread -O1 -g. Debian's patches (0.17.6-2.1: C++14 in CMake, a newer-gcc build fix,
# upstream PR #1135) are not applied: the headers Debian installs are byte-identical to the
# tarball's, the library builds with this compiler as is, and it exports every non-template
# symbol Debian's does.
#
# Idempotent: the tarball and the build live in build-tsan-caf/ (git-ignored); if the library
# is already built, this only prints its path. About 3 minutes from scratch on 2 cores.
# Usage: scripts/build-tsan-caf.sh      (ESK_TSAN_CAF_DIR overrides the cache directory)
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.17.6
tarball=actor-framework_${version}.orig.tar.gz
url=http://deb.debian.org/debian/pool/main/a/actor-framework/$tarball
sha256=e2bf5bd243f08bb7d8adde197cfe3e6d71314ed3378fe0692f8932f4c3b3928c
cache=$(realpath -m "${ESK_TSAN_CAF_DIR:-build-tsan-caf}")
source_dir=$cache/actor-framework-$version
build_dir=$cache/build
library=$build_dir/lib/libcaf_core.so

if [[ -e $library ]]; then
  echo "$library"
  exit 0
fi

mkdir -p "$cache"
if ! echo "$sha256  $cache/$tarball" | sha256sum --check --status 2>/dev/null; then
  echo "== downloading $url" >&2
  curl -fsSL --retry 3 -o "$cache/$tarball.part" "$url"
  mv "$cache/$tarball.part" "$cache/$tarball"
  echo "$sha256  $cache/$tarball" | sha256sum --check --quiet >&2
fi
rm -rf "$source_dir" "$build_dir"
tar -xzf "$cache/$tarball" -C "$cache"

# Only libcaf_core: no io/openssl/opencl/python, tools, examples or unit tests. The enum
# consistency checks are not part of the library target, so they are never built.
# -std=c++14 as Debian builds it; CAF appends its own -ftemplate-depth and -pthread.
echo "== building libcaf_core $version with -fsanitize=thread in $build_dir" >&2
cmake -S "$source_dir" -B "$build_dir" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-std=c++14 -fsanitize=thread -fno-omit-frame-pointer" \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" \
  -DCAF_LOG_LEVEL=QUIET \
  -DCAF_NO_EXAMPLES=yes -DCAF_NO_UNIT_TESTS=yes -DCAF_NO_TOOLS=yes -DCAF_NO_IO=yes \
  -DCAF_NO_OPENSSL=yes -DCAF_NO_OPENCL=yes -DCAF_NO_PYTHON=yes -DCAF_NO_SUMMARY=yes \
  -DCAF_NO_COMPILER_CHECK=yes -DCAF_NO_AUTO_LIBCPP=yes >&2

# Our code sees /usr/include/caf/detail/build_config.hpp; the library must be built with the
# same settings (log level, memory management, exceptions, runtime checks), or the layouts differ.
generated=$build_dir/libcaf_core/caf/detail/build_config.hpp
if ! diff -u /usr/include/caf/detail/build_config.hpp "$generated" >&2; then
  echo "build-tsan-caf: $generated differs from Debian's; refusing to build a mismatched ABI" >&2
  exit 1
fi

cmake --build "$build_dir" --target libcaf_core_shared -j 2 >&2
test -e "$library"
echo "$library"
