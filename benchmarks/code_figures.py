"""The structure figures of the engine (``tutor/``): sizes, complexity, import cycles.

Usage: python benchmarks/code_figures.py [--ref GIT_REF]

Prints, for the working tree (or for GIT_REF, read from git without checking it
out), the number of modules, the modules over MAX_LINES lines, the functions
of cyclomatic complexity over MAX_COMPLEXITY (radon, when it is installed), and
every import cycle between modules of ``tutor``. docs/architecture.md quotes the
figures before and after the redesign; tests/unit/test_architecture.py holds
the engine to the limits.

An import counts wherever it is written (module level or inside a function, not
under ``if TYPE_CHECKING:``): a lazy import is still a dependency.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "tutor"
MAX_LINES = 400
MAX_COMPLEXITY = 20


def sources(ref: str | None = None) -> dict[str, str]:
    """Module name -> source text of every module under tutor/ (the wheel's course copy aside)."""
    if ref is None:
        files = {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
                 for p in (ROOT / PACKAGE).rglob("*.py")}
    else:
        listing = subprocess.run(["git", "ls-tree", "-r", "--name-only", ref, PACKAGE],
                                 cwd=ROOT, capture_output=True, text=True, check=True).stdout
        files = {name: subprocess.run(["git", "show", f"{ref}:{name}"], cwd=ROOT,
                                      capture_output=True, text=True, check=True).stdout
                 for name in listing.split() if name.endswith(".py")}
    return {_module_name(path): text for path, text in sorted(files.items())
            if "/_course/" not in path}


def _module_name(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for branch in node.orelse for n in _imports_in(branch))
            continue
        yield from _imports_in(node)


def _imports_in(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node
    elif not (isinstance(node, ast.If) and _is_type_checking(node)):
        yield from _imports(node)


def _targets(module: str, node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """The modules of ``tutor`` that an import statement makes ``module`` depend on."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:  # relative: resolve against the importing module's package
            package = module.split(".")[: len(module.split(".")) - node.level]
            base = ".".join([*package, base] if base else package)
        # `from pkg import submodule` depends on the submodule; the package itself
        # only counts when a name is taken from it.
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                 for alias in node.names]
    found = set()
    for name in names:
        while name and name not in known:  # `from a.b import c` where c is not a module
            name = name.rpartition(".")[0]
        if name and name != module:
            found.add(name)
    return found


def import_graph(modules: dict[str, str]) -> dict[str, set[str]]:
    known = set(modules)
    return {module: {target for node in _imports(ast.parse(text))
                     for target in _targets(module, node, known)}
            for module, text in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def long_modules(modules: dict[str, str], limit: int = MAX_LINES) -> dict[str, int]:
    return {module: lines for module, text in modules.items()
            if (lines := len(text.splitlines())) > limit}


def complex_functions(modules: dict[str, str],
                      limit: int = MAX_COMPLEXITY) -> dict[str, int] | None:
    """``module:function`` -> complexity above ``limit``; None when radon is not installed."""
    try:
        from radon.complexity import cc_visit
    except ImportError:
        return None
    found = {}
    for module, text in modules.items():
        for block in cc_visit(text):
            name = getattr(block, "fullname", block.name)
            if block.complexity > limit:
                found[f"{module}:{name}"] = block.complexity
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", help="a git ref to measure instead of the working tree")
    args = parser.parse_args()
    modules = sources(args.ref)
    graph = import_graph(modules)
    groups = cycles(graph)
    longest = max(modules, key=lambda m: len(modules[m].splitlines()))
    print(f"{args.ref or 'working tree'}: {len(modules)} modules, "
          f"{sum(len(t.splitlines()) for t in modules.values())} lines; longest {longest} "
          f"({len(modules[longest].splitlines())} lines)")
    too_long = long_modules(modules)
    print(f"modules over {MAX_LINES} lines: {len(too_long)}")
    for module, lines in sorted(too_long.items(), key=lambda item: -item[1]):
        print(f"  {module}: {lines}")
    complex_ = complex_functions(modules)
    if complex_ is None:
        print("complexity: radon is not installed (pip install radon)")
    else:
        print(f"functions over complexity {MAX_COMPLEXITY}: {len(complex_)}")
        for name, value in sorted(complex_.items(), key=lambda item: -item[1]):
            print(f"  {name}: {value}")
    print(f"import cycles: {len(groups)}")
    for group in groups:
        print("  " + " <-> ".join(group))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
