"""Importing the module under test (a learner's file or a reference solution) safely.

Learner code runs on import and may raise anything, even ``SystemExit``; none of
it may escape into pytest. A file that does not import becomes a
:class:`LoadFailure`, and every check that asks for it fails with :class:`NotRun`.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from _pytest.outcomes import Failed

from tutor.grader.calls import recording
from tutor.grader.explain import describe_load_error

MODULE_PREFIX = "aisec_exercise_"


class LoadFailure:
    """Why the module under test could not be imported, in words for a learner."""

    def __init__(self, message: str) -> None:
        self.message = message


class NotRun(Failed):
    """A check could not run because the module under test did not import."""

    def __init__(self, failure: LoadFailure) -> None:
        super().__init__(f"Not run: {failure.message}", pytrace=False)


def load_module(path: Path, exercise_id: str, display: str) -> ModuleType | LoadFailure:
    """Import ``path`` as a fresh module; never let its exceptions escape."""
    name = MODULE_PREFIX + exercise_id
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            return LoadFailure(f"{display}: this is not a Python file the checks can import.")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    except FileNotFoundError:
        return LoadFailure(f"{display}: the file does not exist.")
    except BaseException as exc:  # learner code may raise anything, even SystemExit
        sys.modules.pop(name, None)
        return LoadFailure(describe_load_error(exc, path, display))
    return module


class ExerciseModule:
    """The learner's module, with a friendly failure for a missing name.

    Its functions come wrapped by :func:`tutor.grader.calls.recording`, so an
    exception they raise carries the call the check was trying.
    """

    def __init__(self, module: ModuleType, display: str) -> None:
        object.__setattr__(self, "_module", module)
        object.__setattr__(self, "_display", display)
        object.__setattr__(self, "_wrapped", {})

    def __getattr__(self, name: str) -> Any:
        missing = object()
        value = getattr(self._module, name, missing)
        if value is missing:  # fail outside an except block: no chained traceback
            pytest.fail(
                f"{self._display} does not define `{name}`. Keep the names from the "
                "starter file: the checks call them by name.",
                pytrace=False,
            )
        if not inspect.isfunction(value):
            return value
        wrapped = self._wrapped.get(name)
        if wrapped is None or wrapped.__wrapped__ is not value:  # cached: checks call in loops
            wrapped = recording(value, name)
            self._wrapped[name] = wrapped
        return wrapped

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._module, name, value)
