"""Where a course keeps its files: the one place that knows the course layout.

The course source is read-only: the repository itself in an editable install,
or the copy bundled into the wheel under ``tutor/_course``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
MANIFEST = "course.yaml"


def default_course_dir() -> Path:
    """The repository in a checkout/editable install, else the bundled copy."""
    repo = PACKAGE_DIR.parent
    if (repo / MANIFEST).is_file() and (repo / "tutor").is_dir():
        return repo
    return PACKAGE_DIR / "_course"


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
