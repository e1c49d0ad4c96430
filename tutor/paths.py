"""Every path the engine uses, in one place.

The course source is read-only: the repository itself in an editable install,
or the copy bundled into the wheel under ``tutor/_course``. A learner's
workspace is found like git finds ``.git``: walk up to the first ``.aisec/``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
MANIFEST = "course.yaml"
STATE_DIR = ".aisec"
DEFAULT_WORKSPACE = "aisec-course"


def default_course_dir() -> Path:
    """The repository in a checkout/editable install, else the bundled copy."""
    repo = PACKAGE_DIR.parent
    if (repo / MANIFEST).is_file() and (repo / "tutor").is_dir():
        return repo
    return PACKAGE_DIR / "_course"


def find_workspace(start: Path | None = None) -> Path | None:
    """The nearest directory at or above ``start`` that holds ``.aisec/``."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / STATE_DIR).is_dir():
            return candidate
    return None


class CoursePaths:
    """Where a course keeps its manifest, lessons, starters, solutions and checks."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.manifest = root / MANIFEST
        self.exercises = root / "exercises"
        self.solutions = root / "solutions"
        self.checks = root / "tests" / "checks"

    def starter(self, file: str) -> Path:
        return self.exercises / file

    def solution(self, exercise_id: str) -> Path:
        return self.solutions / f"{exercise_id}.py"

    def check_file(self, exercise_id: str) -> Path:
        return self.checks / f"test_{exercise_id}.py"


class WorkspacePaths:
    """Where a learner's workspace keeps exercises, revealed solutions and state."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.exercises = root / "exercises"
        self.solutions = root / "solutions"
        self.state = root / STATE_DIR
        self.config = self.state / "workspace.json"
        self.progress = self.state / "progress.json"
        self.backups = self.state / "backups"

    def exercise(self, file: str) -> Path:
        return self.exercises / file

    def solution(self, file: str) -> Path:
        return self.solutions / file

    def display(self, path: Path) -> str:
        """A path relative to the workspace root, for messages."""
        try:
            return os.path.relpath(path, self.root) if path.is_absolute() else str(path)
        except ValueError:  # another drive on Windows
            return str(path)
