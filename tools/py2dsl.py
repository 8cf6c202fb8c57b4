#!/usr/bin/env python3
"""py2dsl — translate Warp kernel Python files into warpsynth C++ DSL code.

The DSL re-renders the Python text byte for byte, so the translation keeps every textual detail the Python AST
loses: explicit redundant parentheses (`paren(...)`), literal spellings (`flit("1e-3")`, `ilit("0x10")`), full-line
and trailing comments (`comment(...)`, `note(...)`), docstrings (`docstring(...)`), decorator options and
`elif` versus `else: if`.

Usage:
    python3 tools/py2dsl.py --golden /work/shared/warp-reference/golden --out tests/conformance
        writes tests/conformance/golden_<topic>.cpp for every topic under <golden>/kernels/
    python3 tools/py2dsl.py FILE.py [FILE.py ...]
        prints the `r.add(...)` registration of each kernel to stdout

Python 3 standard library only.
"""

from __future__ import annotations

import argparse
import ast
import io
import keyword as pykeyword
import sys
import tokenize
from pathlib import Path

# --------------------------------------------------------------------------------------------------------------
# Names the DSL knows.

# `wp.<name>` types usable in annotations (`wp.bool` is `wp_bool`, see TYPE_ALIASES).
_SCALARS = ["float16", "float32", "float64", "int8", "int16", "int32", "int64",
            "uint8", "uint16", "uint32", "uint64"]
_COMPOSITES = []
for _n in (2, 3, 4):
    _COMPOSITES += [f"vec{_n}", f"vec{_n}f", f"vec{_n}d", f"vec{_n}h", f"vec{_n}i", f"vec{_n}ui"]
    _COMPOSITES += [f"mat{_n}{_n}", f"mat{_n}{_n}f", f"mat{_n}{_n}d", f"mat{_n}{_n}h"]
_COMPOSITES += ["quat", "quatf", "quatd", "quath", "transform", "transformf", "transformd", "transformh"]
WP_TYPES = set(_SCALARS) | set(_COMPOSITES)
TYPE_ALIASES = {"bool": "wp_bool"}  # wp.bool
PY_TYPES = {"float": "float_", "int": "int_", "bool": "bool_"}

# `wp.<name>(...)` builtins and constructors available as `wp::<name>(...)`.
WP_BUILTINS = set("""
sin cos tan asin acos atan sinh cosh tanh sqrt cbrt exp log log2 log10 floor ceil round trunc frac step sign abs
atan2 pow min max clamp smoothstep lerp dot cross length length_sq normalize outer cw_mul cw_div transpose
determinant trace inverse diag quat_rotate quat_rotate_inv quat_from_axis_angle transform_point transform_vector
atomic_add atomic_sub atomic_min atomic_max
""".split())
WP_SCALAR_CTORS = set(_SCALARS)
WP_COMPOSITE_CTORS = set()
for _n in (2, 3, 4):
    WP_COMPOSITE_CTORS |= {f"vec{_n}", f"vec{_n}f", f"vec{_n}d", f"vec{_n}h", f"vec{_n}i", f"vec{_n}ui",
                           f"mat{_n}{_n}", f"mat{_n}{_n}f", f"mat{_n}{_n}d"}
WP_COMPOSITE_CTORS |= {"quat", "quatf", "quatd", "transform", "transformf", "transformd"}
WP_CALLABLE = WP_BUILTINS | WP_SCALAR_CTORS | WP_COMPOSITE_CTORS

# Decorator options in kernel_options' declaration order (designated initializers must follow it).
KERNEL_OPTIONS = ["enable_backward", "launch_bounds", "cluster_dim", "grid_stride"]

# Identifiers a Python name must not shadow in the generated C++ (keywords, alternative tokens, DSL names).
CPP_RESERVED = set("""
alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t char32_t class compl
concept const consteval constexpr constinit const_cast continue co_await co_return co_yield decltype default delete
do double dynamic_cast else enum explicit export extern false float for friend goto if inline int long mutable
namespace new noexcept not not_eq nullptr operator or or_eq private protected public register reinterpret_cast
requires return short signed sizeof static static_assert static_cast struct switch template this thread_local throw
true try typedef typeid typename union unsigned using virtual void volatile wchar_t while xor xor_eq
main std warpsynth r
body tid range lit flit ilit slit paren floordiv power matmul ternary tie if_ for_ while_ break_ continue_ return_
pass_ comment docstring note py wp local local_as kernel kernel_options arg array array1d array2d array3d array4d
array_nd float_ int_ bool_ wp_bool
""".split()) | WP_TYPES


class Unsupported(Exception):
    """A construct the DSL (or this translator) cannot express; the message says which and where."""


# --------------------------------------------------------------------------------------------------------------
# C++ expression text with its C++ precedence (higher binds tighter).

P_PRIMARY, P_POSTFIX, P_UNARY = 17, 16, 15
P_MUL, P_ADD, P_SHIFT, P_REL, P_EQ, P_BITAND, P_XOR, P_BITOR, P_LAND, P_LOR = 13, 12, 11, 9, 8, 7, 6, 5, 4, 3

BINOPS = {  # Python operator -> (C++ infix operator or None, DSL function, C++ precedence)
    ast.Add: ("+", None, P_ADD), ast.Sub: ("-", None, P_ADD), ast.Mult: ("*", None, P_MUL),
    ast.Div: ("/", None, P_MUL), ast.Mod: ("%", None, P_MUL), ast.BitAnd: ("&", None, P_BITAND),
    ast.BitOr: ("|", None, P_BITOR), ast.BitXor: ("^", None, P_XOR), ast.LShift: ("<<", None, P_SHIFT),
    ast.RShift: (">>", None, P_SHIFT), ast.FloorDiv: (None, "floordiv", 0), ast.Pow: (None, "power", 0),
    ast.MatMult: (None, "matmul", 0),
}
CMPOPS = {ast.Lt: ("<", P_REL), ast.LtE: ("<=", P_REL), ast.Gt: (">", P_REL), ast.GtE: (">=", P_REL),
          ast.Eq: ("==", P_EQ), ast.NotEq: ("!=", P_EQ)}
AUGOPS = {ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/=", ast.Mod: "%=", ast.BitAnd: "&=",
          ast.BitOr: "|=", ast.BitXor: "^="}


class CExpr:
    __slots__ = ("text", "prec", "number")

    def __init__(self, text: str, prec: int, number: bool = False):
        self.text = text
        self.prec = prec
        self.number = number  # a bare C++ arithmetic literal (not yet a DSL expression)

    def at(self, need: int) -> str:
        return self.text if self.prec >= need else f"({self.text})"

    def as_dsl(self) -> "CExpr":
        """Make sure the value is a DSL expression (a bare C++ number becomes `lit(...)`)."""
        if not self.number:
            return self
        return CExpr(f"lit({self.text})", P_PRIMARY)


def cpp_string(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# --------------------------------------------------------------------------------------------------------------
# Source facts the AST drops: grouping parentheses and comments.

class SourceFacts:
    def __init__(self, src: str):
        self.src = src
        self.lines = src.splitlines()
        toks = [t for t in tokenize.generate_tokens(io.StringIO(src).readline)]
        self.full_comments = []   # (line, col, text after '#')
        self.trailing = {}        # line -> text after '#'
        self.grouped = set()      # ((line, col), (end_line, end_col)) spans enclosed by grouping parentheses
        significant = [t for t in toks if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT,
                                                           tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING,
                                                           tokenize.ENDMARKER)]
        for t in toks:
            if t.type == tokenize.COMMENT:
                line_text = t.line
                if line_text.strip().startswith("#") and line_text[: t.start[1]].strip() == "":
                    self.full_comments.append((t.start[0], t.start[1], t.string[1:]))
                else:
                    self.trailing[t.start[0]] = t.string[1:]
        stack = []
        for k, t in enumerate(significant):
            if t.type == tokenize.OP and t.string in "([{":
                prev = significant[k - 1] if k > 0 else None
                is_call = (t.string == "(" and prev is not None and
                           ((prev.type == tokenize.NAME and not pykeyword.iskeyword(prev.string)) or
                            (prev.type == tokenize.OP and prev.string in ")]")))
                stack.append((k, t.string, is_call))
            elif t.type == tokenize.OP and t.string in ")]}":
                k0, kind, is_call = stack.pop()
                if kind == "(" and not is_call and k0 + 1 < k:
                    first, last = significant[k0 + 1], significant[k - 1]
                    self.grouped.add((first.start, last.end))

    def has_parens(self, node: ast.AST) -> bool:
        return ((node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)) in self.grouped

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.src, node)


# --------------------------------------------------------------------------------------------------------------
# One kernel.

class KernelTranslator:
    def __init__(self, src: str, path: str, key: str | None = None):
        self.src = src
        self.path = path
        self.facts = SourceFacts(src)
        mod = ast.parse(src)
        funcs = [n for n in mod.body if isinstance(n, ast.FunctionDef)]
        if len(funcs) != 1:
            raise Unsupported(f"{path}: expected exactly one function definition")
        self.fn = funcs[0]
        self.key = key or self.fn.name
        self.args = {}        # python name -> C++ name
        self.arg_types = {}   # python name -> C++ type
        self.locals = {}      # python name -> C++ name
        self.local_decls = []  # C++ declaration lines
        self.used_cpp = set()
        self.consumed_comments = set()
        self.lambda_info = []

    # --- helpers ----------------------------------------------------------------------------------------------
    def where(self, node: ast.AST) -> str:
        return f"{self.path}:{getattr(node, 'lineno', '?')}"

    def cpp_name(self, py: str) -> str:
        name = py
        while name in CPP_RESERVED or name in self.used_cpp:
            name += "_"
        self.used_cpp.add(name)
        return name

    # --- types ------------------------------------------------------------------------------------------------
    def type_of_annotation(self, a: ast.AST) -> str:
        if isinstance(a, ast.Name) and a.id in PY_TYPES:
            return PY_TYPES[a.id]
        if isinstance(a, ast.Attribute) and isinstance(a.value, ast.Name) and a.value.id == "wp":
            if a.attr in TYPE_ALIASES:
                return TYPE_ALIASES[a.attr]
            if a.attr in WP_TYPES:
                return a.attr
        if (isinstance(a, ast.Call) and isinstance(a.func, ast.Attribute) and isinstance(a.func.value, ast.Name)
                and a.func.value.id == "wp" and not a.args):
            kw = [k.arg for k in a.keywords]
            vals = {k.arg: k.value for k in a.keywords}
            if a.func.attr == "array" and kw in (["dtype"], ["dtype", "ndim"]):
                dtype = self.type_of_annotation(vals["dtype"])
                if "ndim" in vals:
                    nd = vals["ndim"]
                    if not (isinstance(nd, ast.Constant) and type(nd.value) is int and 2 <= nd.value <= 4
                            and self.facts.segment(nd) == str(nd.value)):
                        raise Unsupported(f"{self.where(a)}: wp.array ndim={self.facts.segment(nd)} "
                                          "(array<T, N> renders ndim only for N >= 2)")
                    return f"array<{dtype}, {nd.value}>"
                return f"array<{dtype}>"
            if a.func.attr in ("array1d", "array2d", "array3d", "array4d") and kw == ["dtype"]:
                return f"{a.func.attr}<{self.type_of_annotation(vals['dtype'])}>"
        raise Unsupported(f"{self.where(a)}: annotation `{self.facts.segment(a)}` has no DSL type")

    def simple_type(self, v: ast.AST) -> str | None:
        """A DSL type for a local initialised with `v`, when it is obvious; else None (use local_as)."""
        if isinstance(v, ast.Constant):
            if type(v.value) is bool:
                return "bool_"
            if type(v.value) is int:
                return "int_"
            if type(v.value) is float:
                return "float_"
        if isinstance(v, ast.UnaryOp) and isinstance(v.op, ast.USub) and isinstance(v.operand, ast.Constant):
            return self.simple_type(v.operand)
        if isinstance(v, (ast.Compare, ast.BoolOp)) or (isinstance(v, ast.UnaryOp) and isinstance(v.op, ast.Not)):
            return "bool_"
        if isinstance(v, ast.Call):
            f = v.func
            if isinstance(f, ast.Name) and f.id in PY_TYPES:
                return PY_TYPES[f.id]
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "wp":
                if f.attr == "tid":
                    return "int_"
                if f.attr in WP_SCALAR_CTORS or f.attr in WP_COMPOSITE_CTORS:
                    return f.attr
        return None

    # --- expressions ------------------------------------------------------------------------------------------
    def expr(self, n: ast.AST) -> CExpr:
        e = self._expr(n)
        if self.facts.has_parens(n):
            e = CExpr(f"paren({e.as_dsl().text})", P_PRIMARY)
        return e

    def dsl(self, n: ast.AST) -> CExpr:
        return self.expr(n).as_dsl()

    def _constant(self, n: ast.Constant) -> CExpr:
        v = n.value
        text = self.facts.segment(n)
        if type(v) is bool:
            return CExpr("true" if v else "false", P_PRIMARY, number=True)
        if type(v) is int:
            if text == str(v) and v < 2**63:
                return CExpr(text, P_PRIMARY, number=True)
            return CExpr(f"ilit({cpp_string(text)})", P_PRIMARY)
        if type(v) is float:
            if text == repr(v) and "inf" not in text and "nan" not in text:
                return CExpr(text, P_PRIMARY, number=True)
            return CExpr(f"flit({cpp_string(text)})", P_PRIMARY)
        raise Unsupported(f"{self.where(n)}: constant `{text}`")

    def _expr(self, n: ast.AST) -> CExpr:
        if isinstance(n, ast.Constant):
            return self._constant(n)
        if isinstance(n, ast.Name):
            if n.id in self.locals:
                return CExpr(self.locals[n.id], P_PRIMARY)
            if n.id in self.args:
                return CExpr(self.args[n.id], P_PRIMARY)
            raise Unsupported(f"{self.where(n)}: name `{n.id}` is neither an argument nor an assigned local")
        if isinstance(n, ast.BinOp):
            infix, func, prec = BINOPS.get(type(n.op), (None, None, 0))
            if infix is None and func is None:
                raise Unsupported(f"{self.where(n)}: operator {type(n.op).__name__}")
            left, right = self.expr(n.left), self.expr(n.right)
            if left.number and right.number:
                left = left.as_dsl()
            if func:
                return CExpr(f"{func}({left.text}, {right.text})", P_PRIMARY)
            return CExpr(f"{left.at(prec)} {infix} {right.at(prec + 1)}", prec)
        if isinstance(n, ast.UnaryOp):
            operand = self.expr(n.operand)
            if isinstance(n.op, ast.USub):
                if operand.number and type(n.operand) is ast.Constant and not self.facts.has_parens(n.operand) \
                        and type(n.operand.value) is not bool:
                    return CExpr(f"-{operand.text}", P_UNARY, number=True)
                return CExpr(f"-{operand.as_dsl().at(P_UNARY)}", P_UNARY)
            if isinstance(n.op, ast.Not):
                return CExpr(f"!{operand.as_dsl().at(P_UNARY)}", P_UNARY)
            raise Unsupported(f"{self.where(n)}: unary operator {type(n.op).__name__} (no DSL operator)")
        if isinstance(n, ast.Compare):
            if isinstance(n.left, ast.Compare):
                # `(a < b) == c`: the DSL extends a comparison on the left into a chain (`a < b == c`)
                raise Unsupported(f"{self.where(n)}: parenthesized comparison compared again "
                                  f"`{self.facts.segment(n)}` (the DSL would chain it)")
            left = self.expr(n.left)
            text, prec = None, None
            for op, comp in zip(n.ops, n.comparators):
                if type(op) not in CMPOPS:
                    raise Unsupported(f"{self.where(n)}: comparison {type(op).__name__}")
                sym, p = CMPOPS[type(op)]
                right = self.expr(comp)
                if text is None:
                    if left.number and right.number:
                        left = left.as_dsl()
                    text = f"{left.at(p)} {sym} {right.at(p + 1)}"
                else:
                    lhs = text if prec >= p else f"({text})"
                    text = f"{lhs} {sym} {right.at(p + 1)}"
                prec = p
            return CExpr(text, prec)
        if isinstance(n, ast.BoolOp):
            sym, p = ("&&", P_LAND) if isinstance(n.op, ast.And) else ("||", P_LOR)
            if isinstance(n.values[0], ast.BoolOp) and type(n.values[0].op) is type(n.op):
                # `(a and b) and c`: the DSL merges a left `and` into one chain (and rejects paren() there)
                raise Unsupported(f"{self.where(n)}: parenthesized `{type(n.op).__name__.lower()}` on the left of "
                                  f"the same operator in `{self.facts.segment(n)}`")
            parts = [self.expr(v) for v in n.values]
            if all(x.number for x in parts[:2]):
                parts[0] = parts[0].as_dsl()
            text = parts[0].at(p + 1)
            for x in parts[1:]:
                text = f"{text} {sym} {x.at(p + 1)}"
            return CExpr(text, p)
        if isinstance(n, ast.IfExp):
            return CExpr(f"ternary({self.expr(n.test).text}, {self.expr(n.body).text}, {self.expr(n.orelse).text})",
                         P_PRIMARY)
        if isinstance(n, ast.Subscript):
            target = self.dsl(n.value)
            if isinstance(n.slice, ast.Tuple) and not self.facts.has_parens(n.slice):
                idx = ", ".join(self.expr(e).text for e in n.slice.elts)
                return CExpr(f"{target.at(P_POSTFIX)}({idx})", P_POSTFIX)
            if isinstance(n.slice, (ast.Slice, ast.Tuple, ast.Starred)):
                raise Unsupported(f"{self.where(n)}: subscript `{self.facts.segment(n)}`")
            return CExpr(f"{target.at(P_POSTFIX)}[{self.expr(n.slice).text}]", P_POSTFIX)
        if isinstance(n, ast.Attribute):
            if n.attr in ("x", "y", "z", "w", "p", "q"):
                target = self.dsl(n.value)
                return CExpr(f"{target.at(P_POSTFIX)}.{n.attr}()", P_POSTFIX)
            raise Unsupported(f"{self.where(n)}: attribute `{self.facts.segment(n)}`")
        if isinstance(n, ast.Call):
            return self.call(n)
        raise Unsupported(f"{self.where(n)}: expression `{self.facts.segment(n)}` ({type(n).__name__})")

    def call(self, n: ast.Call) -> CExpr:
        f = n.func
        if any(isinstance(a, ast.Starred) for a in n.args):
            raise Unsupported(f"{self.where(n)}: starred call arguments")
        if isinstance(f, ast.Name) and f.id in PY_TYPES and len(n.args) == 1 and not n.keywords:
            return CExpr(f"py::{PY_TYPES[f.id]}({self.expr(n.args[0]).text})", P_PRIMARY)
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "wp":
            name = f.attr
            if name == "tid" and not n.args and not n.keywords:
                return CExpr("tid()", P_PRIMARY)
            if name == "identity" and not n.args and [k.arg for k in n.keywords] == ["n", "dtype"]:
                nv = n.keywords[0].value
                if not (isinstance(nv, ast.Constant) and type(nv.value) is int
                        and self.facts.segment(nv) == str(nv.value)):
                    raise Unsupported(f"{self.where(n)}: wp.identity with n=`{self.facts.segment(nv)}`")
                dtype = self.type_of_annotation(n.keywords[1].value)
                return CExpr(f"wp::identity<{nv.value}, {dtype}>()", P_PRIMARY)
            if name in WP_CALLABLE and not n.keywords:
                args = ", ".join(self.expr(a).text for a in n.args)
                return CExpr(f"wp::{name}({args})", P_PRIMARY)
        raise Unsupported(f"{self.where(n)}: call `{self.facts.segment(n)}` has no DSL counterpart")

    # --- locals -----------------------------------------------------------------------------------------------
    def declare(self, name: str, decl_type: str | None, init: ast.AST | None, where: ast.AST):
        if name in self.args:
            raise Unsupported(f"{self.where(where)}: assignment to argument `{name}` (DSL arguments are read-only)")
        if name in self.locals:
            return
        cname = self.cpp_name(name)
        if decl_type is None and init is not None:
            decl_type = self.simple_type(init)
        if decl_type is not None:
            self.local_decls.append(f"local<{decl_type}> {cname}({cpp_string(name)});")
        else:
            init_text = self.dsl(init).text  # uses only args and already-declared locals
            self.local_decls.append(f"auto {cname} = local_as({cpp_string(name)}, {init_text});")
        self.locals[name] = cname

    def collect_locals(self, stmts):
        for s in stmts:
            if isinstance(s, ast.Assign):
                if len(s.targets) != 1:
                    raise Unsupported(f"{self.where(s)}: chained assignment")
                t = s.targets[0]
                if isinstance(t, ast.Name):
                    self.declare(t.id, None, s.value, s)
                elif isinstance(t, ast.Tuple):
                    if not (all(isinstance(e, ast.Name) for e in t.elts) and isinstance(s.value, ast.Call)
                            and ast.unparse(s.value) == "wp.tid()"):
                        raise Unsupported(f"{self.where(s)}: tuple assignment other than `i, j = wp.tid()`")
                    for e in t.elts:
                        self.declare(e.id, "int_", None, s)
            elif isinstance(s, ast.AugAssign):
                if isinstance(s.target, ast.Name) and s.target.id not in self.locals:
                    raise Unsupported(f"{self.where(s)}: augmented assignment to unassigned `{s.target.id}`")
            elif isinstance(s, ast.AnnAssign):
                raise Unsupported(f"{self.where(s)}: annotated assignment")
            elif isinstance(s, ast.For):
                if not isinstance(s.target, ast.Name):
                    raise Unsupported(f"{self.where(s)}: for loop target must be a name")
                if s.target.id in self.locals:
                    pass
                else:
                    self.declare(s.target.id, "int_", None, s)
                self.collect_locals(s.body)
                self.collect_locals(s.orelse)
            elif isinstance(s, (ast.If, ast.While)):
                self.collect_locals(s.body)
                self.collect_locals(s.orelse)

    # --- statements -------------------------------------------------------------------------------------------
    # A statement is a "doc": a str, or ("call", head, [docs], tail) for `head(\n items...\n)tail` blocks,
    # or ("chain", [(head, [docs])...]) for if/elif/else.

    def comments_before(self, line: int, min_col: int | None = None, out=None):
        docs = []
        for (ln, col, text) in self.facts.full_comments:
            if ln in self.consumed_comments or ln >= line:
                continue
            if min_col is not None and col < min_col:
                continue
            if not text.startswith(" "):
                raise Unsupported(f"{self.path}:{ln}: comment `#{text}` without a space after '#'")
            self.consumed_comments.add(ln)
            docs.append(f"comment({cpp_string(text[1:])})")
        return docs

    def block(self, stmts, indent: int, limit: int):
        """Statements of one block (with the comments inside its region). `limit`: first line after the block."""
        docs = []
        for k, s in enumerate(stmts):
            docs += self.comments_before(s.lineno)
            nxt = stmts[k + 1].lineno if k + 1 < len(stmts) else limit
            docs.append(self.statement(s, indent, nxt))
        # trailing comments of this block: indented at least as deep as its statements
        docs += self.comments_before(limit, min_col=indent * 4)
        return docs

    def with_note(self, doc, line: int):
        if line in self.facts.trailing:
            text = self.facts.trailing[line]
            if not text.startswith(" "):
                raise Unsupported(f"{self.path}:{line}: trailing comment `#{text}` without a space after '#'")
            return ("note", doc, cpp_string(text[1:]))
        return doc

    def find_line(self, start: int, end: int, pred) -> int | None:
        for ln in range(start, end):
            if pred(self.facts.lines[ln - 1].strip()):
                return ln
        return None

    def statement(self, s: ast.stmt, indent: int, limit: int):
        if isinstance(s, ast.Assign):
            t = s.targets[0]
            if isinstance(t, ast.Tuple):
                doc = f"tie({', '.join(self.locals[e.id] for e in t.elts)}) = tid()"
            elif isinstance(t, (ast.Name, ast.Subscript)):
                target = self.dsl(t)
                doc = f"{target.text} = {self.expr(s.value).text}"
            else:
                raise Unsupported(f"{self.where(s)}: assignment to `{self.facts.segment(t)}` (only locals and "
                                  "array elements can be assigned)")
            return self.with_note(doc, s.end_lineno)
        if isinstance(s, ast.AugAssign):
            if type(s.op) not in AUGOPS:
                raise Unsupported(f"{self.where(s)}: augmented operator {type(s.op).__name__}= (no DSL operator)")
            if not isinstance(s.target, (ast.Name, ast.Subscript)):
                raise Unsupported(f"{self.where(s)}: augmented assignment target `{self.facts.segment(s.target)}`")
            doc = f"{self.dsl(s.target).text} {AUGOPS[type(s.op)]} {self.expr(s.value).text}"
            return self.with_note(doc, s.end_lineno)
        if isinstance(s, ast.Expr):
            v = s.value
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                seg = self.facts.segment(v)
                if not (seg.startswith('"""') and seg.endswith('"""') and len(seg) >= 6):
                    raise Unsupported(f"{self.where(s)}: docstring not written with \"\"\"")
                return self.with_note(f"docstring({cpp_string(seg[3:-3])})", s.end_lineno)
            if isinstance(v, ast.Call):
                return self.with_note(self.call(v).text, s.end_lineno)
            raise Unsupported(f"{self.where(s)}: expression statement `{self.facts.segment(s)}`")
        if isinstance(s, ast.Pass):
            return self.with_note("pass_()", s.lineno)
        if isinstance(s, ast.Break):
            return self.with_note("break_()", s.lineno)
        if isinstance(s, ast.Continue):
            return self.with_note("continue_()", s.lineno)
        if isinstance(s, ast.Return):
            if s.value is not None:
                raise Unsupported(f"{self.where(s)}: return with a value")
            return self.with_note("return_()", s.lineno)
        if isinstance(s, ast.For):
            if s.orelse:
                raise Unsupported(f"{self.where(s)}: for ... else")
            it = s.iter
            if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"
                    and 1 <= len(it.args) <= 3 and not it.keywords):
                raise Unsupported(f"{self.where(s)}: for loop over `{self.facts.segment(it)}` (only range(...))")
            rng = ", ".join(self.expr(a).text for a in it.args)
            if self.facts.has_parens(it):
                rng_text = f"paren(range({rng}))"
            else:
                rng_text = f"range({rng})"
            head = f"for_({self.locals[s.target.id]}, {rng_text})"
            items = self.block(s.body, indent + 1, limit)
            return self.with_note(("call", head, items), s.lineno)
        if isinstance(s, ast.While):
            if s.orelse:
                raise Unsupported(f"{self.where(s)}: while ... else")
            head = f"while_({self.expr(s.test).text})"
            items = self.block(s.body, indent + 1, limit)
            return self.with_note(("call", head, items), s.lineno)
        if isinstance(s, ast.If):
            return self.with_note(self.if_chain(s, indent, limit), s.lineno)
        raise Unsupported(f"{self.where(s)}: statement {type(s).__name__}")

    def if_chain(self, s: ast.If, indent: int, limit: int):
        parts = []
        cur = s
        head = f"if_({self.expr(cur.test).text})"
        while True:
            if cur.orelse:
                else_line = self.find_line(cur.body[-1].end_lineno + 1, cur.orelse[0].lineno + 1,
                                           lambda l: l.startswith("else:") or l.startswith("elif "))
                if else_line is None:
                    raise Unsupported(f"{self.where(cur)}: cannot find the else/elif line")
                body_limit = else_line
            else:
                else_line = None
                body_limit = limit
            items = self.block(cur.body, indent + 1, body_limit)
            parts.append((head, items))
            if not cur.orelse:
                break
            is_elif = self.facts.lines[else_line - 1].strip().startswith("elif ")
            if is_elif:
                nxt = cur.orelse[0]
                assert isinstance(nxt, ast.If) and nxt.lineno == else_line
                if else_line in self.facts.trailing:
                    raise Unsupported(f"{self.path}:{else_line}: trailing comment on an elif line")
                head = f".elif_({self.expr(nxt.test).text})"
                cur = nxt
                continue
            if else_line in self.facts.trailing:
                raise Unsupported(f"{self.path}:{else_line}: trailing comment on an else line")
            # comments between the if body and `else:` at the if's own indentation have no DSL place
            items = self.block(cur.orelse, indent + 1, limit)
            parts.append((".else_", items))
            break
        return ("chain", parts)

    # --- assembly ---------------------------------------------------------------------------------------------
    def translate(self) -> str:
        fn = self.fn
        a = fn.args
        if a.posonlyargs or a.vararg or a.kwonlyargs or a.kwarg or a.defaults:
            raise Unsupported(f"{self.where(fn)}: only plain annotated positional arguments are supported")
        # decorator
        if len(fn.decorator_list) != 1:
            raise Unsupported(f"{self.where(fn)}: expected one decorator")
        deco = fn.decorator_list[0]
        options = {}
        if isinstance(deco, ast.Call):
            if ast.unparse(deco.func) != "wp.kernel" or deco.args:
                raise Unsupported(f"{self.where(fn)}: decorator `{self.facts.segment(deco)}`")
            order = [k.arg for k in deco.keywords]
            if order != [o for o in KERNEL_OPTIONS if o in order]:
                raise Unsupported(f"{self.where(fn)}: decorator options out of the DSL's fixed order")
            for k in deco.keywords:
                if k.arg not in KERNEL_OPTIONS:
                    raise Unsupported(f"{self.where(fn)}: decorator option `{k.arg}`")
                v = k.value
                seg = self.facts.segment(v)
                if isinstance(v, ast.Constant) and type(v.value) is bool:
                    options[k.arg] = "true" if v.value else "false"
                elif isinstance(v, ast.Constant) and type(v.value) is int and seg == str(v.value):
                    options[k.arg] = seg
                else:
                    raise Unsupported(f"{self.where(fn)}: decorator option `{k.arg}={seg}`")
        elif ast.unparse(deco) != "wp.kernel":
            raise Unsupported(f"{self.where(fn)}: decorator `{self.facts.segment(deco)}`")
        # arguments
        decls = []
        params = []
        for arg in a.args:
            if arg.annotation is None:
                raise Unsupported(f"{self.where(arg)}: argument `{arg.arg}` without annotation")
            ty = self.type_of_annotation(arg.annotation)
            cname = self.cpp_name(arg.arg)
            self.args[arg.arg] = cname
            self.arg_types[arg.arg] = ty
            decls.append(f"arg<{ty}>({cpp_string(arg.arg)})")
            params.append(f"auto {cname}")
        # locals, then the body
        self.collect_locals(fn.body)
        items = self.block(fn.body, 1, 10**9)
        unused = [ln for (ln, _, _) in self.facts.full_comments if ln not in self.consumed_comments]
        if unused:
            raise Unsupported(f"{self.path}:{unused[0]}: comment has no place in the DSL")
        kargs = [cpp_string(fn.name)]
        if options:
            kargs.append("kernel_options{" + ", ".join(f".{k} = {options[k]}" for k in KERNEL_OPTIONS
                                                         if k in options) + "}")
        kargs += decls
        lines = []
        lines.append(f"    r.add({cpp_string(self.key)}, kernel({', '.join(kargs)})(")
        lines.append(f"        []({', '.join(params)}) {{")
        for d in self.local_decls:
            lines.append(f"            {d}")
        lines.append(fmt_body(items, 12))
        lines.append("        }));")
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------------------------
# Layout of the C++ statement docs.

WIDTH = 118


def flat(doc) -> str | None:
    """The doc on one line, or None if it contains a block."""
    if isinstance(doc, str):
        return doc
    if doc[0] == "note":
        inner = flat(doc[1])
        return None if inner is None else f"note({inner}, {doc[2]})"
    return None


def fmt_items(items, indent: int) -> list[str]:
    """Items as lines (each but the last followed by a comma), at `indent` spaces."""
    out = []
    for k, it in enumerate(items):
        text = fmt_doc(it, indent)
        if k + 1 < len(items):
            text += ","
        out.append(text)
    return out


def fmt_doc(doc, indent: int) -> str:
    pad = " " * indent
    f = flat(doc)
    if f is not None:
        return pad + f
    kind = doc[0]
    if kind == "note":
        inner = fmt_doc(doc[1], indent).lstrip()
        # note(<multi-line stmt>, "text")
        return f"{pad}note({inner}, {doc[2]})"
    if kind == "call":
        _, head, items = doc
        one = ", ".join(flat(i) or "\0" for i in items)
        if "\0" not in one and indent + len(head) + len(one) + 2 <= WIDTH:
            return f"{pad}{head}({one})"
        return f"{pad}{head}(\n" + "\n".join(fmt_items(items, indent + 4)) + f"\n{pad})"
    if kind == "chain":
        text = pad
        for k, (head, items) in enumerate(doc[1]):
            text += f"{head}(\n" + "\n".join(fmt_items(items, indent + 4)) + f"\n{pad})"
        return text
    raise AssertionError(doc)


def fmt_body(items, indent: int) -> str:
    pad = " " * indent
    flats = [flat(i) for i in items]
    if all(f is not None for f in flats):
        one = f"{pad}return body({', '.join(flats)});"
        if len(one) <= WIDTH:
            return one
    return f"{pad}return body(\n" + "\n".join(fmt_items(items, indent + 4)) + f"\n{pad});"


# --------------------------------------------------------------------------------------------------------------
# Files.

def translate_file(path: Path, display: str | None = None) -> str:
    src = path.read_text()
    return KernelTranslator(src, display or str(path), key=path.stem).translate()


def generate_topic(topic: str, files: list[Path], golden_rel: str, report: list[str]) -> str:
    out = [f"// generated by tools/py2dsl.py from {golden_rel}/kernels/{topic}/*.py — do not edit",
           '#include "golden_registry.hpp"',
           "using namespace warpsynth;",
           f"void golden_{topic}(golden_registry& r) {{"]
    for f in files:
        display = f"{golden_rel}/kernels/{topic}/{f.name}"
        try:
            out.append(translate_file(f, display))
        except Unsupported as e:
            report.append(str(e))
            out.append(f"    // {f.stem}: not expressible in the DSL: {e}")
        except SyntaxError as e:
            report.append(f"{display}: {e}")
            out.append(f"    // {f.stem}: Python syntax error: {e}")
    out.append("}")
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--golden", type=Path, help="golden corpus root (holds kernels/<topic>/<name>.py)")
    ap.add_argument("--out", type=Path, help="output directory for golden_<topic>.cpp")
    ap.add_argument("files", nargs="*", type=Path, help="kernel files to translate to stdout")
    args = ap.parse_args(argv)
    report: list[str] = []
    if args.golden:
        if not args.out:
            ap.error("--golden needs --out")
        kroot = args.golden / "kernels"
        topics = sorted(p.name for p in kroot.iterdir() if p.is_dir())
        args.out.mkdir(parents=True, exist_ok=True)
        total = 0
        for topic in topics:
            files = sorted(kroot.joinpath(topic).glob("*.py"))
            total += len(files)
            text = generate_topic(topic, files, "golden", report)
            (args.out / f"golden_{topic}.cpp").write_text(text)
        print(f"py2dsl: {total} kernels in {len(topics)} topics, {len(report)} not translated", file=sys.stderr)
    for f in args.files:
        try:
            print(translate_file(f))
        except Unsupported as e:
            report.append(str(e))
    for line in report:
        print(f"py2dsl: unsupported: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
