#!/usr/bin/env bash
# Builds CAF's libcaf_core with ThreadSanitizer for the TSan test build (docs/RELIABILITY.md) and
# prints the path of the instrumented libcaf_core.so on stdout (everything else goes to stderr).
#
# Why: Debian's libcaf_core.so is not built with -fsanitize=thread, so TSan cannot see the
# synchronisation inside CAF's mailboxes and scheduler and reports every message as a race.
# This builds the same release Debian ships (0.17.6, whose headers we compile against from
# /usr/include/caf) with the same build_config.hpp, so the ABI matches; only libcaf_core, shared,
# -fsanitize=thread -O1 -g.
#
# Where the source comes from: apt, from whatever repositories this machine is configured with
# (no mirror is named here). The machine's `deb` entries (deb822 and one-line) are copied as
# `deb-src` entries into a private apt state in the cache directory, `apt-get update` reads only
# their Sources indices, and `apt-get source --tar-only` fetches the upstream tarball of the
# installed libcaf-dev's source version; apt checks it against the signed Sources index, and
# the sha256 below pins the exact bytes whose headers were compared with Debian's. The system's
# sources, lists and caches are not touched, so this needs no root.
#
# Debian's patches (0.17.6-2.1: C++14 in CMake, a newer-gcc build fix, upstream PR #1135) are not
# applied, so only the upstream tarball is fetched, not Debian's packaging tarball: the headers
# Debian installs are byte-identical to the upstream tarball's, the library builds with this
# compiler as is, and it exports every strong symbol Debian's does (`nm -D --defined-only`; the
# 165 of Debian's 5250 it lacks are weak template and inline instantiations, which every caller
# instantiates itself).
#
# Idempotent: the tarball and the build live in build-tsan-caf/ (git-ignored); if the library
# is already built, this only prints its path. About 3 minutes from scratch on 2 cores.
# Usage: scripts/build-tsan-caf.sh      (ESK_TSAN_CAF_DIR overrides the cache directory)
set -euo pipefail
cd "$(dirname "$0")/.."

version=0.17.6
tarball=actor-framework_${version}.orig.tar.gz
sha256=e2bf5bd243f08bb7d8adde197cfe3e6d71314ed3378fe0692f8932f4c3b3928c
cache=$(realpath -m "${ESK_TSAN_CAF_DIR:-build-tsan-caf}")
source_dir=$cache/actor-framework-$version
build_dir=$cache/build
library=$build_dir/lib/libcaf_core.so

if [[ -e $library ]]; then
  echo "$library"
  exit 0
fi

# Writes the machine's configured `deb` entries as `deb-src` entries into $1 (a private apt
# directory: sources.list and sources.list.d/), so apt can fetch sources from the same places.
write_source_entries() {
  local private=$1 system_list system_parts file
  eval "$(apt-config shell system_list Dir::Etc::sourcelist/f system_parts Dir::Etc::sourceparts/d)"
  rm -rf "$private/sources.list.d"
  mkdir -p "$private/sources.list.d"
  # One-line format: `deb [options] URI suite components` becomes `deb-src ...`.
  for file in "$system_list" "$system_parts"*.list; do
    [[ -e $file ]] || continue
    sed -nE 's/^[[:space:]]*deb(-src)?([[:space:]])/deb-src\2/p' "$file"
  done | awk '!seen[$0]++' >"$private/sources.list"
  # deb822 format: every stanza's Types becomes deb-src (Enabled, Signed-By etc. stay as they are).
  for file in "$system_parts"*.sources; do
    [[ -e $file ]] || continue
    awk 'tolower($0) ~ /^types:/ { print "Types: deb-src"; next } { print }' "$file" \
      >"$private/sources.list.d/$(basename "$file")"
  done
}

mkdir -p "$cache"
if ! echo "$sha256  $cache/$tarball" | sha256sum --check --status 2>/dev/null; then
  source_version=$(dpkg-query -W -f='${source:Version}' libcaf-dev 2>/dev/null || true)
  if [[ $source_version != "$version"-* ]]; then
    echo "build-tsan-caf: needs Debian's libcaf-dev $version (found '${source_version:-none}');" \
      "run scripts/setup.sh" >&2
    exit 1
  fi
  private=$cache/apt
  write_source_entries "$private"
  mkdir -p "$private/lists/partial"
  apt_options=(-q -o "Dir::Etc::SourceList=$private/sources.list"
    -o "Dir::Etc::SourceParts=$private/sources.list.d" -o "Dir::State::Lists=$private/lists"
    -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=)
  echo "== fetching actor-framework $source_version's upstream tarball through apt" >&2
  apt-get "${apt_options[@]}" update >&2
  # As root, apt warns that it downloads unsandboxed (user _apt cannot write to $cache): harmless.
  (cd "$cache" &&
    apt-get "${apt_options[@]}" source --download-only --tar-only \
      "actor-framework=$source_version") >&2
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
