"""Where a course keeps its files: the one place that knows the course layout.

The course source is read-only: the repository itself in an editable install,
or the copy bundled into the wheel under ``tutor/_course``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
MANIFEST = "course.yaml"
CHECK_PREFIX = "test_"  # an exercise's hidden checks: tests/checks/test_<exercise id>.py


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
        self.labs = root / "tests" / "labs"  # a lab's corpora, hidden like its checks

    def starter(self, file: str) -> Path:
        return self.exercises / file

    def solution(self, exercise_id: str) -> Path:
        return self.solutions / f"{exercise_id}.py"

    def check_file(self, exercise_id: str) -> Path:
        return self.checks / check_file_name(exercise_id)

    def lab_corpus(self, exercise_id: str) -> Path:
        return self.labs / f"{exercise_id}.yaml"

    @classmethod
    def of_check_file(cls, check_file: Path) -> CoursePaths:
        """The course that holds ``check_file`` (``<root>/tests/checks/test_<id>.py``)."""
        return cls(check_file.resolve().parents[2])


def check_file_name(exercise_id: str) -> str:
    """The name of an exercise's hidden checks file, inside a course's checks folder."""
    return f"{CHECK_PREFIX}{exercise_id}.py"


def exercise_id_of(check_file: Path) -> str:
    """The exercise a hidden checks file is for."""
    return check_file.stem.removeprefix(CHECK_PREFIX)
