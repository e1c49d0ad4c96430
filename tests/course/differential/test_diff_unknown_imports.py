"""Differential test: `unknown_imports` against the standard library's `modulefinder`.

`modulefinder.ModuleFinder.scan_opcodes` reads the import instructions that the
compiler emits for a code object. Compiling runs nothing, so the test compiles each
generated program, walks every nested code object (functions, classes, async
functions, comprehensions) and collects the top-level names of the absolute imports:
exactly the names the solution must report when nothing is provided. Programs are
generated with imports at module level and inside functions, classes, try/except,
with, match and `if TYPE_CHECKING:` blocks, absolute and relative, with aliases,
several names per statement, and module names that are ASCII, non-ASCII (Cyrillic
look-alikes) or fullwidth (which the parser folds with NFKC, as the compiler does).

A second comparison checks the default `stdlib` argument against
`sys.stdlib_module_names`.
"""

from __future__ import annotations

import keyword
import modulefinder
import sys
from types import CodeType

from hypothesis import example, given, settings
from hypothesis import strategies as st
from reference import load_solution, load_starter_docstring

SOLUTION = load_solution("unknown_imports")

# What the solution reports on purpose that the compiler's import instructions do not
# show (each key is a phrase of the starter's docstring). The generator makes no such
# code, so these cases are excluded from the comparison.
DIFFERENCES = {
    "__import__": "the solution reports __import__('x') with a string literal; to the "
    "compiler that is an ordinary call, so modulefinder sees no import.",
    "import_module": "likewise importlib.import_module('x') and import_module('x').",
    "if False:": "the compiler drops code it can prove never runs (`if False:`), with "
    "its imports; the solution reports them, because the file still names them.",
    "private name mangling": "inside a class, the compiler turns `import __x` into an "
    "import of `_ClassName__x`; the solution reports `__x` as written.",
}

NAMES = ["requests", "numpy", "os", "json", "yaml", "pdfplumber_tables", "_private",
         "r\u0435quests", "\u0440andas", "\uff52\uff45\uff51\uff55\uff45\uff53\uff54\uff53",
         "caf\u00e9", "match", "case", "type", "__future__", "x1"]


def _identifier(text: str) -> bool:
    mangled = text.startswith("__") and not text.endswith("__")  # DIFFERENCES
    return text.isidentifier() and not keyword.iskeyword(text) and not mangled


identifiers = st.sampled_from(NAMES) | st.text(
    st.sampled_from("abcxyz_Z09\u0430\u00e9"), min_size=1, max_size=6).filter(_identifier)
dotted = st.lists(identifiers, min_size=1, max_size=3).map(".".join)


@st.composite
def import_statements(draw) -> str:
    form = draw(st.integers(0, 6))
    module = draw(dotted)
    if module.startswith("__future__"):
        module = "not_future"  # a __future__ import is only legal at the top of a file
    if form == 0:
        return f"import {module}"
    if form == 1:
        return f"import {module} as alias_{draw(st.integers(0, 9))}"
    if form == 2:
        return f"import {module}, {draw(dotted).replace('__future__', 'nf')}"
    if form == 3:
        return f"from {module} import name"
    if form == 4:
        return f"from {module} import (first,\n    second)"
    if form == 5:
        dots = "." * draw(st.integers(1, 3))
        return f"from {dots}{module} import name"
    return "from . import sibling"


def _indent(block: str, depth: int = 1) -> str:
    return "\n".join("    " * depth + line for line in block.splitlines())


WRAPPERS = [
    "{body}",
    "def function():\n{indented}",
    "async def coroutine():\n{indented}",
    "class Holder:\n{indented}",
    "try:\n{indented}\nexcept ImportError:\n    pass",
    "with open('x') as handle:\n{indented}",
    "if TYPE_CHECKING:\n{indented}",
    "def outer():\n    def inner():\n{twice}\n    return inner",
    "match value:\n    case 1:\n{twice}\n    case _:\n        pass",
]


@st.composite
def programs(draw) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append("from __future__ import annotations")
    for _ in range(draw(st.integers(0, 5))):
        body = "\n".join(draw(st.lists(import_statements(), min_size=1, max_size=3)))
        wrapper = draw(st.sampled_from(WRAPPERS))
        parts.append(wrapper.format(body=body, indented=_indent(body),
                                    twice=_indent(body, 2)))
    return "\n".join(parts) + "\n"


def _code_objects(code: CodeType):
    yield code
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from _code_objects(constant)


def _compiled_imports(source: str) -> set[str]:
    """Top-level names of the absolute imports the compiler emits for `source`."""
    finder = modulefinder.ModuleFinder()
    found = set()
    for code in _code_objects(compile(source, "<generated>", "exec")):
        for what, args in finder.scan_opcodes(code):
            if what == "absolute_import":
                found.add(args[1].split(".")[0])
    return found


@settings(max_examples=150)  # keep the file near 10 s
@given(programs())
@example("import a.b.c as d, e\nfrom f.g import h\nfrom . import i\nfrom ..j import k\n")
@example("def f():\n    class C:\n        from deep.er import x\n")
@example("import \uff52\uff45\uff51\uff55\uff45\uff53\uff54\uff53\nimport r\u0435quests\n")
@example("from __future__ import annotations\nimport os\n")
def test_reports_every_import_the_compiler_sees(source):
    expected = sorted(_compiled_imports(source))
    got = SOLUTION.unknown_imports(source, {}, frozenset())
    assert got == expected, f"unknown_imports({source!r}): solution {got!r}, compiler {expected!r}"


@settings(max_examples=50)
@given(programs())
def test_default_stdlib_is_sys_stdlib_module_names(source):
    expected = sorted(n for n in _compiled_imports(source) if n not in sys.stdlib_module_names)
    assert SOLUTION.unknown_imports(source, {}) == expected, source


def test_differences_are_documented():
    docstring = load_starter_docstring("08_misinformation/unknown_imports.py")
    for what in DIFFERENCES:
        assert what in docstring, f"{what!r} is a deliberate difference the starter omits"
