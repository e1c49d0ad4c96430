"""Load what a differential test compares: a reference solution, a starter's docstring.

Import it as ``from reference import load_solution`` (pytest puts this folder on
``sys.path``: the tests folders are not packages).
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tutor.course.layout import default_course_dir


def load_solution(exercise_id: str) -> ModuleType:
    """Import ``solutions/<exercise_id>.py`` of the course as a fresh module."""
    path = Path(default_course_dir()) / "solutions" / f"{exercise_id}.py"
    name = f"aisec_reference_{exercise_id}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, f"cannot import {path}"
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_starter_docstring(file: str) -> str:
    """The instructions of ``exercises/<file>`` (where deliberate differences are told)."""
    path = Path(default_course_dir()) / "exercises" / file
    return ast.get_docstring(ast.parse(path.read_bytes())) or ""
