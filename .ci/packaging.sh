#!/usr/bin/env bash
# Packaging checks: the single header is current, `meson install` lays down headers + pkg-config + CMake package, and
# the consumers in tests/consumers/ build and run against them:
#   make + pkg-config, CMake find_package (also after moving the installed tree), meson subproject, single header.
# Prints one `ok: ...` / `FAIL: ...` line per check (a failure is followed by the tail of its log) and a summary;
# exits non-zero when any check fails. Scratch space is a temporary folder, removed at exit (KEEP=1 keeps it).
# Compiler: $CXX if set (g++ otherwise). Needs python3, meson, ninja, pkg-config, cmake, make, nettle-dev.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
repo=$PWD
start=$SECONDS
export CXX="${CXX:-g++}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/warpsynth-packaging.XXXXXX")
if [[ "${KEEP:-0}" == 1 ]]; then echo "scratch: $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi

passed=0 failed=0 n=0
# check NAME COMMAND...: run COMMAND with its output in a log; one line of verdict.
check() {
    local name=$1; shift
    n=$((n + 1))
    local log="$tmp/log.$n"
    local t0=$SECONDS
    if ("$@") >"$log" 2>&1; then  # a subshell: a check may cd
        echo "ok: $name ($((SECONDS - t0))s)"
        passed=$((passed + 1))
    else
        echo "FAIL: $name"
        tail -n 25 "$log" | sed 's/^/    /'
        failed=$((failed + 1))
        return 1
    fi
}

# runs BINARY and insists that it prints the expected mangled name (the consumers also exit 1 on a mismatch)
expect_mangled() {
    local got
    got=$("$1") || { echo "$1 exited with status $? (printed: $got)"; return 1; }
    echo "$1 printed: $got"
    [[ "$got" == "add_arrays_44b10dce" ]]
}

prefix="$tmp/prefix"

# --- 1. amalgamation
check "single_include/warpsynth/warpsynth.hpp is up to date (tools/check_amalgamation.sh)" \
    tools/check_amalgamation.sh

# --- 2. install
install_tree() {
    meson setup "$tmp/build" --prefix "$prefix" -Dtests=false &&
        meson install -C "$tmp/build" &&
        pc=$(find "$prefix" -name warpsynth.pc -path '*/pkgconfig/*') &&
        cfg=$(find "$prefix" -name warpsynthConfig.cmake -path '*/cmake/warpsynth/*') &&
        [[ -n "$pc" && -n "$cfg" ]] &&
        ls -l "$pc" "$cfg" "$(dirname "$cfg")/warpsynthConfigVersion.cmake" "$prefix/include/warpsynth/warpsynth.hpp" &&
        dirname "$pc" >"$tmp/pcdir"
}
if check "meson setup + meson install --prefix (headers, warpsynth.pc, lib*/cmake/warpsynth/)" install_tree; then
    installed=1
    pcdir=$(cat "$tmp/pcdir")
else
    installed=0
    pcdir=/nonexistent
fi

# --- 3. pkg-config metadata matches version.hpp
pkgconfig_metadata() {
    local want have requires
    want=$(sed -n 's/^#define WARPSYNTH_VERSION "\(.*\)"/\1/p' include/warpsynth/version.hpp)
    have=$(PKG_CONFIG_PATH="$pcdir" pkg-config --modversion warpsynth) || return 1
    requires=$(PKG_CONFIG_PATH="$pcdir" pkg-config --print-requires warpsynth) || return 1
    echo "version.hpp: $want, warpsynth.pc: $have, Requires: $requires"
    [[ "$have" == "$want" ]] && grep -qw nettle <<<"$requires"
}
if ((installed)); then
    check "pkg-config: warpsynth.pc version matches version.hpp, Requires nettle" pkgconfig_metadata
fi

# --- 4. consumer (a): make + pkg-config
consumer_pkgconfig() {
    mkdir -p "$tmp/c-pkgconfig" && cd "$tmp/c-pkgconfig" &&
        PKG_CONFIG_PATH="$pcdir" make -f "$repo/tests/consumers/pkgconfig/Makefile" &&
        expect_mangled ./app
}
if ((installed)); then
    check "consumer make + pkg-config --cflags --libs warpsynth" consumer_pkgconfig
fi

# --- 5. consumer (b): CMake find_package(warpsynth CONFIG)
consumer_cmake() {  # $1: prefix to search, $2: build dir
    cmake -S "$repo/tests/consumers/cmake" -B "$2" -DCMAKE_PREFIX_PATH="$1" -DCMAKE_BUILD_TYPE=Release &&
        cmake --build "$2" &&
        expect_mangled "$2/app"
}
if ((installed)); then
    check "consumer CMake find_package(warpsynth CONFIG) + warpsynth::warpsynth" consumer_cmake "$prefix" "$tmp/c-cmake"
fi

# --- 6. the installed CMake package is relocatable: move the tree, find it again (configure only)
cmake_relocated() {
    mv "$prefix" "$tmp/moved" || return 1
    ! grep -rl "$prefix" "$tmp/moved" --include='*.cmake' || { echo "absolute install path in the CMake package"; return 1; }
    local out
    out=$(cmake -S "$repo/tests/consumers/cmake" -B "$tmp/c-cmake-moved" -DCMAKE_PREFIX_PATH="$tmp/moved") &&
        echo "$out" && grep -q "from $tmp/moved/" <<<"$out"
}
if ((installed)); then
    check "CMake package still found after moving the installed tree" cmake_relocated
fi

# --- 7. consumer (c): meson, warpsynth as a subproject (dependency() fallback)
consumer_meson() {
    cp -r "$repo/tests/consumers/meson" "$tmp/c-meson-src" &&
        mkdir -p "$tmp/c-meson-src/subprojects" &&
        ln -sfn "$repo" "$tmp/c-meson-src/subprojects/warpsynth" &&
        meson setup "$tmp/c-meson" "$tmp/c-meson-src" --force-fallback-for=warpsynth &&
        grep -q "Executing subproject warpsynth" "$tmp/c-meson/meson-logs/meson-log.txt" &&
        meson compile -C "$tmp/c-meson" &&
        expect_mangled "$tmp/c-meson/app"
}
check "consumer meson subproject: dependency('warpsynth') fallback" consumer_meson

# --- 8. consumer against the single header alone
consumer_single_header() {
    mkdir -p "$tmp/c-single" && cd "$tmp/c-single" &&
        make -f "$repo/tests/consumers/pkgconfig/Makefile" \
            WARPSYNTH_CFLAGS="-I$repo/single_include $(pkg-config --cflags nettle)" \
            WARPSYNTH_LIBS="$(pkg-config --libs nettle)" &&
        # it must have been compiled from single_include/ and nothing under include/
        "$CXX" -std=c++20 -MM -I"$repo/single_include" "$repo/tests/consumers/pkgconfig/main.cpp" >deps &&
        grep -q "single_include/warpsynth/warpsynth.hpp" deps &&
        ! grep -q "$repo/include/" deps &&
        expect_mangled ./app
}
check "consumer against the single header alone (-I single_include)" consumer_single_header

echo "packaging: $passed ok, $failed failed ($((SECONDS - start))s, $CXX)"
((failed == 0))
