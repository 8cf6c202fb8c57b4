#!/usr/bin/env python3
"""Amalgamate warpsynth into one header: single_include/warpsynth/warpsynth.hpp.

Starting from the umbrella header include/warpsynth/warpsynth.hpp, every include of a warpsynth header
(`#include "warpsynth/..."`, `#include <warpsynth/...>`, or a quoted include that resolves next to the including
file inside include/warpsynth/) is replaced by that header's text, exactly once, at its first use (which is what
`#pragma once` does); the headers' own `#pragma once` lines are dropped and one is put at the top. External
includes (`<string>`, `<nettle/sha2.h>`, ...) are kept as written; a repeat of an identical external include at file
scope is dropped. Only what the umbrella reaches is inlined: the generated-code runtime under
include/warpsynth/runtime/ is not part of it unless the umbrella includes it.

Directives are recognised only at the start of a line outside comments and string literals (raw strings
included), so text that merely mentions `#include` is left alone. The output is deterministic: no timestamps,
no absolute paths.

Usage:
    python3 tools/amalgamate.py            # (re)write single_include/warpsynth/warpsynth.hpp
    python3 tools/amalgamate.py --check    # exit 1 if the checked-in file is stale (writes nothing)
    python3 tools/amalgamate.py --stdout   # print the amalgamation instead of writing it
Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INCLUDE_DIR = ROOT / "include"
LIB_DIR = INCLUDE_DIR / "warpsynth"
UMBRELLA = LIB_DIR / "warpsynth.hpp"
VERSION_HEADER = LIB_DIR / "version.hpp"
OUTPUT = ROOT / "single_include" / "warpsynth" / "warpsynth.hpp"

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)([>"])(.*)$')
PRAGMA_ONCE_RE = re.compile(r"^\s*#\s*pragma\s+once\b\s*(//.*|/\*.*\*/\s*)?$")
DIRECTIVE_RE = re.compile(r"^\s*#\s*(\w+)\s*(\S*)")
STRING_PREFIXES = {"", "L", "u", "U", "u8", "R", "LR", "uR", "UR", "u8R"}


class AmalgamationError(Exception):
    pass


# ------------------------------------------------------------------------------------------------------------------
# Lexing: which lines are preprocessor directives (outside block comments and raw string literals)?


@dataclass
class LexState:
    in_block_comment: bool = False
    raw_delimiter: str | None = None  # inside R"delim( ... )delim"


def _scan_line(line: str, st: LexState) -> None:
    """Advance the lexer state over one line (without its newline)."""
    i, n = 0, len(line)
    while i < n:
        if st.in_block_comment:
            end = line.find("*/", i)
            if end < 0:
                return
            st.in_block_comment = False
            i = end + 2
            continue
        if st.raw_delimiter is not None:
            close = ")" + st.raw_delimiter + '"'
            end = line.find(close, i)
            if end < 0:
                return
            st.raw_delimiter = None
            i = end + len(close)
            continue
        c = line[i]
        if c == "/" and line.startswith("//", i):
            return
        if c == "/" and line.startswith("/*", i):
            st.in_block_comment = True
            i += 2
            continue
        if c.isalpha() or c == "_" or c.isdigit():
            # identifier or pp-number (digit separators like 1'000 stay inside the number)
            j = i + 1
            is_number = c.isdigit()
            while j < n:
                d = line[j]
                if d.isalnum() or d == "_":
                    j += 1
                elif is_number and d == ".":
                    j += 1
                elif is_number and d == "'" and j + 1 < n and line[j + 1].isalnum():
                    j += 2
                elif is_number and d in "+-" and line[j - 1] in "eEpP":
                    j += 1
                else:
                    break
            word = line[i:j]
            if not is_number and j < n and line[j] == '"' and word in STRING_PREFIXES and word.endswith("R"):
                open_paren = line.find("(", j + 1)
                if open_paren < 0:
                    raise AmalgamationError("unterminated raw string delimiter")
                st.raw_delimiter = line[j + 1:open_paren]
                i = open_paren + 1
                continue
            if not is_number and j < n and line[j] in "\"'" and word in STRING_PREFIXES:
                i = j  # the literal itself is scanned next
                continue
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and line[j] != c:
                j += 2 if line[j] == "\\" else 1
            i = j + 1
            continue
        i += 1


def directive_lines(text: str) -> list[tuple[str, bool]]:
    """Split text into lines (keeping line ends) and flag those that begin a preprocessor directive."""
    st = LexState()
    out: list[tuple[str, bool]] = []
    continued = False  # previous line was a directive ending in a backslash
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        is_directive = (not continued and not st.in_block_comment and st.raw_delimiter is None
                        and body.lstrip().startswith("#"))
        _scan_line(body, st)
        continued = (is_directive or continued) and body.endswith("\\")
        out.append((line, is_directive))
    if st.raw_delimiter is not None:
        raise AmalgamationError("unterminated raw string literal at end of file")
    return out


# ------------------------------------------------------------------------------------------------------------------
# Amalgamation


def rel(p: Path) -> str:
    try:
        return p.relative_to(INCLUDE_DIR).as_posix()
    except ValueError:
        return p.relative_to(ROOT).as_posix()


def read_version() -> tuple[str, str]:
    text = VERSION_HEADER.read_text(encoding="utf-8")
    m = re.search(r'#\s*define\s+WARPSYNTH_VERSION\s+"([^"]+)"', text)
    if not m:
        raise AmalgamationError(f"{rel(VERSION_HEADER)}: WARPSYNTH_VERSION not found")
    w = re.search(r'#\s*define\s+WARPSYNTH_WARP_VERSION\s+"([^"]+)"', text)
    return m.group(1), (w.group(1) if w else "?")


@dataclass
class Amalgamator:
    seen: set[Path] = field(default_factory=set)
    external_seen: set[tuple[str, str]] = field(default_factory=set)
    order: list[Path] = field(default_factory=list)
    out: list[str] = field(default_factory=list)

    def resolve(self, current: Path, bracket: str, target: str, spelled: str) -> Path | None:
        """Path of a warpsynth header the include names, or None when it is external."""
        candidates = []
        if bracket == '"':
            candidates.append(current.parent / target)  # quoted: the including file's folder first
        if target.startswith("warpsynth/"):
            candidates.append(INCLUDE_DIR / target)
        for c in candidates:
            c = c.resolve()
            if c.is_file() and c.is_relative_to(LIB_DIR.resolve()):
                return c
        if target.startswith("warpsynth/"):
            raise AmalgamationError(f"{rel(current)}: #include {spelled}: no such header in include/")
        return None

    def include_guard(self, lines: list[tuple[str, bool]]) -> bool:
        """True when the file is wrapped in a classic #ifndef X / #define X ... #endif guard."""
        dirs = [DIRECTIVE_RE.match(l) for l, d in lines if d]
        dirs = [m for m in dirs if m]
        return (len(dirs) >= 3 and dirs[0].group(1) == "ifndef" and dirs[1].group(1) == "define"
                and dirs[0].group(2) == dirs[1].group(2) and dirs[-1].group(1) == "endif")

    def add_file(self, path: Path) -> None:
        path = path.resolve()
        self.seen.add(path)  # before the body: a cycle back to this file is a no-op, as with #pragma once
        self.order.append(path)
        text = path.read_text(encoding="utf-8")
        lines = directive_lines(text)
        has_once = any(d and PRAGMA_ONCE_RE.match(l.rstrip("\r\n")) for l, d in lines)
        guarded = self.include_guard(lines)
        if not (has_once or guarded):
            raise AmalgamationError(
                f"{rel(path)}: no #pragma once (or include guard); inlining it once would change its meaning")
        base_depth = 1 if guarded and not has_once else 0
        name = rel(path)
        self.out.append(f"// ---- begin {name} ----\n")
        depth = 0
        for line, is_dir in lines:
            if not is_dir:
                self.out.append(line)
                continue
            body = line.rstrip("\r\n")
            if PRAGMA_ONCE_RE.match(body):
                continue
            m = DIRECTIVE_RE.match(body)
            kind = m.group(1) if m else ""
            if kind in ("if", "ifdef", "ifndef"):
                depth += 1
            elif kind == "endif":
                depth -= 1
            inc = INCLUDE_RE.match(body)
            if inc and kind == "include":
                bracket, target = inc.group(1), inc.group(2).strip()
                spelled = f"{bracket}{target}{inc.group(3)}"
                header = self.resolve(path, bracket, target, spelled)
                if header is not None:
                    if depth > base_depth:
                        raise AmalgamationError(
                            f"{name}: #include {spelled} sits inside a preprocessor conditional; "
                            "the amalgamation inlines each header once, unconditionally")
                    if header not in self.seen:
                        self.add_file(header)
                    continue
                key = (bracket, target)
                if depth <= base_depth:
                    if key in self.external_seen:
                        continue
                    self.external_seen.add(key)
            self.out.append(line)
        if self.out and not self.out[-1].endswith("\n"):
            self.out.append("\n")
        self.out.append(f"// ---- end {name} ----\n")


def amalgamate() -> str:
    version, warp_version = read_version()
    a = Amalgamator()
    a.add_file(UMBRELLA)
    files = [rel(p) for p in a.order]
    head = [
        f"// warpsynth {version} — single-header amalgamation (renders Warp {warp_version} kernels).\n",
        "//\n",
        "// GENERATED FILE — DO NOT EDIT. Produced by tools/amalgamate.py from include/warpsynth/warpsynth.hpp;\n",
        "// regenerate with `python3 tools/amalgamate.py` (`--check` verifies it is current).\n",
        "// Needs C++20 and GNU Nettle (SHA-256): compile with -std=c++20, link with -lnettle.\n",
        "//\n",
        f"// Contains {len(files)} headers, in include order:\n",
    ]
    head += [f"//   {f}\n" for f in files]
    head += ["#pragma once\n", "\n"]
    return "".join(head + a.out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--check", action="store_true", help="exit 1 if the checked-in amalgamation is stale")
    g.add_argument("--stdout", action="store_true", help="write the amalgamation to standard output")
    ap.add_argument("--output", type=Path, default=OUTPUT, help="file to write or check (default: %(default)s)")
    args = ap.parse_args()
    try:
        text = amalgamate()
    except AmalgamationError as e:
        print(f"amalgamate.py: error: {e}", file=sys.stderr)
        return 2
    shown = args.output.resolve()
    try:
        shown = shown.relative_to(ROOT)
    except ValueError:
        pass
    if args.stdout:
        sys.stdout.write(text)
        return 0
    if args.check:
        try:
            current = args.output.read_text(encoding="utf-8")
        except FileNotFoundError:
            print(f"{shown} is missing; run `python3 tools/amalgamate.py` and commit it", file=sys.stderr)
            return 1
        if current == text:
            print(f"{shown} is up to date")
            return 0
        print(f"{shown} is stale; run `python3 tools/amalgamate.py` and commit the result", file=sys.stderr)
        diff = list(difflib.unified_diff(current.splitlines(keepends=True), text.splitlines(keepends=True),
                                         f"{shown} (checked in)", f"{shown} (regenerated)", n=1))
        sys.stderr.writelines(diff[:40])
        if len(diff) > 40:
            print(f"... ({len(diff) - 40} more diff lines)", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    try:
        if args.output.read_text(encoding="utf-8") == text:
            print(f"{shown} unchanged")
            return 0
    except FileNotFoundError:
        pass
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
