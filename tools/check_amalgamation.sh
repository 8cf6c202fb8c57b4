#!/usr/bin/env bash
# Is single_include/warpsynth/warpsynth.hpp current? Regenerates it in memory and compares (writes nothing).
# With --compile, also checks that the single header compiles on its own (only single_include/ on the include
# path; $CXX, default g++). Exit status: 0 current, 1 stale or not compiling, 2 the tool itself failed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

python3 tools/amalgamate.py --check || exit $?

if [[ "${1:-}" == "--compile" ]]; then
    cxx="${CXX:-g++}"
    # shellcheck disable=SC2046  # pkg-config output is a list of flags
    if ! printf '#include <warpsynth/warpsynth.hpp>\n#include <warpsynth/warpsynth.hpp>\nint main() {}\n' |
        "$cxx" -std=c++20 -fsyntax-only -x c++ -I single_include $(pkg-config --cflags nettle 2>/dev/null) -; then
        echo "single_include/warpsynth/warpsynth.hpp does not compile on its own ($cxx)" >&2
        exit 1
    fi
    echo "single_include/warpsynth/warpsynth.hpp compiles on its own ($cxx)"
fi
