"""Hidden checks for `unknown_imports`: imports in untrusted code that nothing provides.

All code samples were written for these checks. Most checks pass their own `stdlib` set
so that the result does not depend on the Python version the learner runs.
"""

from __future__ import annotations

import builtins

STDLIB = frozenset({
    "__future__", "builtins", "collections", "dataclasses", "importlib", "json", "os",
    "pathlib", "re", "sys", "typing",
})
DISTS = {
    "yaml": ["PyYAML"],
    "requests": ["requests"],
    "numpy": ["numpy"],
    "pytest": ["pytest"],
    "_pytest": ["pytest"],
}

WHY = (
    "Every unknown import is a name someone might `pip install` without checking, and "
    "model-invented names are exactly what slopsquatters register."
)


def _run(exercise, code, dists=None, stdlib=STDLIB):
    return exercise.unknown_imports(code, DISTS if dists is None else dists, stdlib)


def test_finds_plain_imports(exercise):
    """Reports the top-level name of every kind of import statement"""
    cases = [
        ("import pdfplumber_tables\n", ["pdfplumber_tables"]),
        ("import langchain_magic.agents.tools\n", ["langchain_magic"]),
        ("import fastjsonx as json\n", ["fastjsonx"]),
        ("import os, leftpad_py, numpy\n", ["leftpad_py"]),
        ("from torchvision_extra.models import resnet\n", ["torchvision_extra"]),
        ("from sklearn_utils import (\n    split,\n    score,\n)\n", ["sklearn_utils"]),
        ("from gptcache_lite import *\n", ["gptcache_lite"]),
    ]
    for code, expected in cases:
        got = _run(exercise, code)
        assert got == expected, (
            f"unknown_imports({code!r}) returned {got!r}, expected {expected!r}: for `import "
            "a.b.c` and `from a.b import c` the distribution to check is the top-level name "
            "'a'; `as` only renames it in the file. " + WHY
        )


def test_knows_stdlib_and_installed_modules(exercise):
    """Leaves out the standard library and names that dist_map provides, using the parameters"""
    code = (
        "import os, sys, json\n"
        "from pathlib import Path\n"
        "import yaml\n"
        "import numpy.linalg as la\n"
        "from requests.adapters import HTTPAdapter\n"
        "from _pytest.monkeypatch import MonkeyPatch\n"
        "from __future__ import annotations\n"
    )
    got = _run(exercise, code)
    assert got == [], (
        f"unknown_imports({code!r}) returned {got!r}, expected []: every module is in the given "
        "stdlib set or is a key of dist_map. Listing known modules buries the unknown ones."
    )
    code = "import os\nimport json\n"
    got = exercise.unknown_imports(code, {}, frozenset({"os"}))
    assert got == ["json"], (
        f"unknown_imports({code!r}, {{}}, stdlib=frozenset({{'os'}})) returned {got!r}, expected "
        "['json']: use the `stdlib` argument you are given, not sys.stdlib_module_names directly. "
        "An auditor may check code for another Python version than the one it runs on."
    )
    code = "import os, json, asyncio\nimport numpy_fastmath\n"
    got = exercise.unknown_imports(code, {})
    assert got == ["numpy_fastmath"], (
        f"unknown_imports({code!r}, {{}}) returned {got!r}, expected ['numpy_fastmath']: "
        "without a `stdlib` argument the default, sys.stdlib_module_names, applies."
    )


def test_ignores_relative_imports(exercise):
    """Ignores relative imports, which come from the project itself"""
    code = (
        "from . import helpers\n"
        "from .. import settings\n"
        "from .models import Invoice\n"
        "from ...core.db import session\n"
    )
    got = _run(exercise, code)
    assert got == [], (
        f"unknown_imports({code!r}) returned {got!r}, expected []: a leading dot "
        "(ImportFrom.level > 0) means a module of the same package, never something to install "
        "from an index."
    )


def test_finds_imports_anywhere_in_the_file(exercise):
    """Finds imports inside functions, classes, try/except, if and match blocks"""
    code = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    import mypy_boto3_s3\n"
        "try:\n"
        "    import ujson_fast as json\n"
        "except ImportError:\n"
        "    import json\n"
        "class Exporter:\n"
        "    def to_pdf(self):\n"
        "        def inner():\n"
        "            from pdfkit_plus import render\n"
        "        return inner\n"
        "async def fetch():\n"
        "    with open('x') as f:\n"
        "        import aiohttp_retry2\n"
        "def pick(kind):\n"
        "    match kind:\n"
        "        case 'xlsx':\n"
        "            import openpyxl_lite\n"
        "        case _:\n"
        "            pass\n"
    )
    expected = ["aiohttp_retry2", "mypy_boto3_s3", "openpyxl_lite", "pdfkit_plus", "ujson_fast"]
    got = _run(exercise, code)
    assert got == expected, (
        f"unknown_imports(<code below>) returned {got!r}, expected {expected!r}: imports inside "
        "functions, classes, try/except fallbacks, `if TYPE_CHECKING:` and match blocks are still "
        "dependencies. ast.walk() visits every node, not just the top-level statements.\n"
        f"Code:\n{code}"
    )


def test_finds_dynamic_imports_with_literal_names(exercise):
    """Reports __import__ and importlib.import_module calls with a string literal"""
    cases = [
        ("m = __import__('leftpad_py.core')\n", ["leftpad_py"]),
        ("import importlib\nm = importlib.import_module('yaml_safe_loader')\n",
         ["yaml_safe_loader"]),
        ("from importlib import import_module\nm = import_module('torch_helpers.io')\n",
         ["torch_helpers"]),
        ("import importlib\nm = importlib.import_module(name='plugin_zoo')\n", ["plugin_zoo"]),
        ("import importlib\nname = 'x'\nm = importlib.import_module(name)\n", []),
        ("m = __import__(f'backend_{kind}')\n", []),
        ("import importlib\nm = importlib.import_module('.sub', package='app')\n", []),
        ("import importlib\nm = importlib.import_module('yaml')\n", []),
    ]
    for code, expected in cases:
        got = _run(exercise, code)
        assert got == expected, (
            f"unknown_imports({code!r}) returned {got!r}, expected {expected!r}: __import__(), "
            "importlib.import_module() and a bare import_module() load a module just like an "
            "import statement. Report the top-level name when the first argument (or name=) is "
            "a str literal; skip variables, f-strings and relative names, which cannot be known "
            "without running the code. " + WHY
        )


def test_never_runs_the_code(exercise):
    """Never executes the code it inspects"""
    flag = "aisec_untrusted_code_ran"
    code = (
        "import builtins\n"
        f"builtins.{flag} = True\n"
        "import evil_pkg\n"
        "raise SystemExit(3)\n"
    )
    try:
        got = _run(exercise, code)
    except BaseException as exc:  # SystemExit, ImportError... if the code was run
        got = exc
    ran = hasattr(builtins, flag)
    if ran:
        delattr(builtins, flag)
    assert not ran, (
        f"unknown_imports({code!r}) ran the code: it set builtins.{flag}. Never exec(), eval() "
        "or import untrusted code to find out what it imports: parse it with ast.parse() and "
        "read the tree. Running it is exactly the attack this check exists to prevent."
    )
    if isinstance(got, BaseException):
        raise got
    assert got == ["evil_pkg"], (
        f"unknown_imports({code!r}) returned {got!r}, expected ['evil_pkg']: reading the tree "
        "finds the import without running the `raise SystemExit` after it."
    )


def test_ignores_strings_comments_and_docstrings(exercise):
    """Ignores import-like text in strings, comments and docstrings"""
    code = (
        '"""Usage:\n'
        "\n"
        "    import evil_docstring\n"
        "    from evil_docstring2 import x\n"
        '"""\n'
        "TEMPLATE = '''\n"
        "import evil_template\n"
        "'''\n"
        "# import evil_comment\n"
        "s = 'import evil_string'\n"
        "t = f'from evil_fstring import {s}'\n"
        "print('import evil_print')\n"
        "import yaml  # from evil_trailing import y\n"
    )
    got = _run(exercise, code)
    assert got == [], (
        f"unknown_imports({code!r}) returned {got!r}, expected []: only real import statements "
        "and calls count. A regex over the source sees 'import' in strings and comments; the "
        "ast only has Import and ImportFrom nodes for real imports."
    )


def test_compares_names_exactly(exercise):
    """Compares module names exactly, as the import system does"""
    cases = [
        ("import Yaml\n", ["Yaml"], "imports are case-sensitive: 'Yaml' is not 'yaml'"),
        ("import NumPy.linalg\n", ["NumPy"], "'NumPy' is not 'numpy'"),
        ("import r\u0435quests\n", ["r\u0435quests"],
         "the 'е' is Cyrillic (U+0435): a different module that only looks like requests"),
        ("import \uff52\uff45\uff51\uff55\uff45\uff53\uff54\uff53\n", [],
         "Python applies NFKC to identifiers, so these fullwidth letters import 'requests', "
         "which is installed; the parser already gives you 'requests'"),
    ]
    for code, expected, why in cases:
        got = _run(exercise, code)
        assert got == expected, (
            f"unknown_imports({code!r}) returned {got!r}, expected {expected!r}: {why}. Compare "
            "the names the parser gives you with the keys of dist_map as they are, without "
            "lowercasing or other cleaning: the result must name what Python would really import."
        )


def test_returns_sorted_unique_list(exercise):
    """Returns each name once, sorted"""
    code = (
        "import zeta_lib, alpha_lib\n"
        "from beta_lib import x\n"
        "import alpha_lib.sub\n"
        "m = __import__('zeta_lib')\n"
        "from alpha_lib.other import y\n"
    )
    expected = ["alpha_lib", "beta_lib", "zeta_lib"]
    got = _run(exercise, code)
    assert got == expected and isinstance(got, list), (
        f"unknown_imports({code!r}) returned {got!r}, expected the list {expected!r}: each "
        "top-level name once, in sorted order, so that the result is stable and easy to review."
    )
    for code in ("", "\n\n", "x = 1\n", "# nothing\n"):
        got = _run(exercise, code)
        assert got == [], f"unknown_imports({code!r}) returned {got!r}, expected []: no imports."


def test_unparsable_code_raises_the_documented_error(exercise):
    """Raises UnparsableCode, with the line number, for code Python cannot parse"""
    cases = [
        ("def f(:\n    pass\n", 1, "a syntax error on line 1"),
        ("import os\n\nx = (\n", 3, "a bracket opened on line 3 and never closed"),
        ("import os\n  import sys\n", 2, "an unexpected indent on line 2"),
    ]
    for code, lineno, what in cases:
        try:
            got = _run(exercise, code)
        except exercise.UnparsableCode as exc:
            assert isinstance(exc, ValueError), (
                "UnparsableCode must stay a subclass of ValueError, as in the starter."
            )
            assert exc.lineno == lineno, (
                f"unknown_imports({code!r}) raised UnparsableCode with lineno={exc.lineno!r}, "
                f"expected {lineno}: {what}. Copy the line number from the SyntaxError so the "
                "reviewer knows where to look."
            )
            continue
        except SyntaxError as exc:
            got = f"<{type(exc).__name__} escaped>"
        raise AssertionError(
            f"unknown_imports({code!r}) gave {got!r}, expected UnparsableCode: {what}. Code "
            "that does not parse cannot be checked; saying 'no unknown imports' would be a lie."
        )
    nasty = [
        ("import os\nx = 1\0\n", "a null byte (ValueError on Python 3.10, SyntaxError later)"),
        ("x = " + "-" * 100_000 + "1\n", "100,000 nested minus signs (the parser gives up with "
         "MemoryError)"),
        ("x = " + "(" * 300 + ")" * 300 + "\n", "300 nested brackets"),
    ]
    for code, what in nasty:
        try:
            got = _run(exercise, code)
        except exercise.UnparsableCode:
            continue
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            got = f"<{type(exc).__name__} escaped>"
        raise AssertionError(
            f"unknown_imports({code[:40]!r}...) gave {got!r}, expected UnparsableCode: "
            f"{what}. Whatever the parser raises (SyntaxError, ValueError, RecursionError or "
            "MemoryError) means 'cannot check this code' and must reach the caller as the one "
            "documented exception."
        )


def test_rejects_input_that_is_not_text(exercise):
    """Raises TypeError for bytes and other non-str input"""
    for bad in (b"import os\n", b"# coding: utf-7\nimport os\n", None, ["import os"]):
        try:
            got = _run(exercise, bad)
        except TypeError:
            continue
        except exercise.UnparsableCode:
            got = "UnparsableCode"
        raise AssertionError(
            f"unknown_imports({bad!r}) gave {got!r}, expected a TypeError: only str is accepted. "
            "ast.parse() also takes bytes, and then a '# coding:' line decides how the source is "
            "decoded, a known way to hide code from reviewers."
        )
