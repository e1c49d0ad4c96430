"""Reference solution for `unknown_imports`: find imports that nothing installed provides."""

from __future__ import annotations

import ast
import sys
from collections.abc import Mapping


class UnparsableCode(ValueError):
    """The code is not Python that this interpreter can parse; `lineno` says where, if known."""

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message)
        self.lineno = lineno


def _top(dotted: str) -> str:
    return dotted.split(".", 1)[0]


def _literal_module(call: ast.Call) -> str | None:
    """The module name of __import__("x") / importlib.import_module("x"), if it is a literal."""
    func = call.func
    is_dynamic_import = (
        (isinstance(func, ast.Name) and func.id in {"__import__", "import_module"})
        or (
            isinstance(func, ast.Attribute)
            and func.attr == "import_module"
            and isinstance(func.value, ast.Name)
            and func.value.id == "importlib"
        )
    )
    if not is_dynamic_import:
        return None
    if call.args:
        arg: ast.expr | None = call.args[0]
    else:
        arg = next((kw.value for kw in call.keywords if kw.arg == "name"), None)
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    return None  # a variable or an expression: we cannot know statically


def _imported_modules(tree: ast.AST) -> set[str]:
    """Top-level names of every absolute import anywhere in the tree."""
    found: set[str] = set()
    # ast.walk visits every node: imports inside functions, classes, try/except and
    # `if TYPE_CHECKING:` blocks are found too, and it is iterative, not recursive.
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(_top(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:  # level > 0: relative, part of this package
                found.add(_top(node.module))
        elif isinstance(node, ast.Call):
            name = _literal_module(node)
            if name and not name.startswith("."):
                found.add(_top(name))
    return found


def unknown_imports(
    code: str,
    dist_map: Mapping[str, list[str]],
    stdlib: frozenset[str] = sys.stdlib_module_names,
) -> list[str]:
    """Sorted, unique top-level modules imported by `code` that neither stdlib nor dist_map has.

    The code is parsed with `ast`, never run. Raises UnparsableCode if it cannot be parsed.
    """
    if not isinstance(code, str):
        # Bytes would let a "# coding:" line choose how the source is decoded.
        raise TypeError(f"code must be a str, not {type(code).__name__}")
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:  # includes IndentationError
        raise UnparsableCode(f"line {exc.lineno}: {exc.msg}", exc.lineno) from exc
    except (ValueError, RecursionError, MemoryError) as exc:
        # Null bytes (ValueError before Python 3.12) and absurdly deep nesting make the
        # parser itself give up; that is still "not code we can check".
        raise UnparsableCode(f"cannot parse: {type(exc).__name__}: {exc}") from exc
    # Names are compared exactly: imports are case-sensitive, and the parser has already
    # applied the NFKC normalisation Python uses for identifiers.
    return sorted(
        name for name in _imported_modules(tree) if name not in stdlib and name not in dist_map
    )
