"""What an exercise's hidden checks are, read statically from the check file.

The grader knows which checks to expect *before* it runs anything, so a run
that stops early, skips, or reports fewer checks can never look like a pass.
Reading the file with ``ast`` costs no import of learner or check code.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

from tutor.errors import ContentError, Problem

LIVE_MARKER = "ollama_live"


@dataclass(frozen=True)
class CheckInfo:
    id: str  # the test function's name
    title: str  # first line of its docstring
    line: int
    optional: bool = False  # needs a real model: shown, never required for a pass


def _parse(path: Path, data: bytes | None = None) -> ast.Module:
    try:
        return ast.parse(path.read_bytes() if data is None else data, filename=str(path))
    except FileNotFoundError:
        raise ContentError([Problem(path, None, "the hidden checks file is missing",
                                    "reinstall aisec-tutor, or add the file if you are "
                                    "authoring this course")]) from None
    except SyntaxError as exc:
        raise ContentError([Problem(path, exc.lineno, f"check file does not parse: {exc.msg}",
                                    "fix the syntax error")]) from None


def _is_live(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in func.decorator_list:
        if isinstance(decorator, ast.Call):
            decorator = decorator.func
        if isinstance(decorator, ast.Attribute) and decorator.attr == LIVE_MARKER:
            return True
    return False


def _title(func: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    doc = ast.get_docstring(func) or ""
    first = doc.strip().splitlines()[0].strip() if doc.strip() else ""
    return first or func.name.removeprefix("test_").replace("_", " ").capitalize()


def list_checks(path: Path) -> list[CheckInfo]:
    """The checks in a check file, in file order.

    Kept per file content: a warm grading takes about a tenth of a second, and
    parsing a long check file again is 5 ms of it. (Keyed by content, not by
    modification time, which is too coarse to tell two quick edits apart.)
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        _parse(path)  # raises the course problem: the checks file is missing
        raise
    return list(_checks_in(path, data))


@functools.lru_cache(maxsize=64)
def _checks_in(path: Path, data: bytes) -> tuple[CheckInfo, ...]:
    tree = _parse(path, data)
    return tuple(
        CheckInfo(id=node.name, title=_title(node), line=node.lineno, optional=_is_live(node))
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name.startswith("test")
    )


def lint_check_file(path: Path) -> list[Problem]:
    """Author problems the grader cannot teach around: no docstring, bare asserts."""
    tree = _parse(path)
    problems: list[Problem] = []
    checks = list_checks(path)
    if not checks:
        problems.append(Problem(path, None, "no checks found",
                                "add top-level 'def test_...(exercise):' functions"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            problems.append(Problem(path, node.lineno, "checks must be top-level functions",
                                    "move the methods of this class to module level"))
        if (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and node.name.startswith("test") and not ast.get_docstring(node)):
            problems.append(Problem(path, node.lineno, f"check '{node.name}' has no docstring",
                                    "its first line is the title learners see"))
    for found in ast.walk(tree):
        if isinstance(found, ast.Assert) and found.msg is None:
            problems.append(Problem(path, found.lineno, "assert without a message",
                                    "say which input, what was expected, what came back, "
                                    "and why it matters"))
    return problems
