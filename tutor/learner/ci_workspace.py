"""A workspace graded as a CI job grades it: the learner's files, nothing else of theirs.

``aisec ci grade`` runs in a clone of a learner's repository. Everything in it is
the learner's to change, so only their exercise files are taken from it:

- the course is the one bundled in the installed package: a ``course_dir`` in
  ``.aisec/workspace.json`` is ignored (and reported), and a ``course_id`` other than
  the installed course's is refused;
- progress starts empty in a folder outside the repository (a committed
  ``.aisec/progress.json`` is never read), so a pass is this run's pass;
- no reference solution is copied into the clone after a pass.

The track comes from ``workspace.json`` unless the caller names one or asks for the
whole course: the workflow written by ``aisec ci init`` names the track the workspace
had when it was written, or ``--all`` when it had none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course
from tutor.course.model import Course, Exercise, Track
from tutor.errors import UsageError
from tutor.learner.paths import DEFAULT_WORKSPACE, WorkspacePaths, ensure_trusted, find_workspace
from tutor.learner.store import ProgressStore
from tutor.learner.workspace import Workspace, read_config


@dataclass(frozen=True)
class Ignored:
    """What a clone holds that the grading left alone, to say so in the output."""

    course_dir: str | None  # the course folder workspace.json named
    progress: bool  # a committed .aisec/progress.json


class CIWorkspace(Workspace):
    """The learner's exercise files, graded with the installed course and fresh state
    kept in ``state_dir`` (outside the repository)."""

    def __init__(self, root: Path, course: Course, track: Track | None,
                 state_dir: Path) -> None:
        super().__init__(root, course, track)
        self.progress = ProgressStore(state_dir / "progress.json")
        self.progress.start()

    def reveal_solution(self, ex: Exercise) -> Path:
        """Nothing is copied into the learner's clone; the installed course has it."""
        return self.course.paths.solution(ex.id)


def find_root(workspace: Path | None) -> Path:
    """The workspace folder: ``--workspace`` or the nearest one above the cwd."""
    root = workspace.resolve() if workspace is not None else find_workspace()
    if root is None or not (root / ".aisec").is_dir():
        where = str(workspace) if workspace is not None else "here or in any folder above"
        raise UsageError(f"No aisec workspace {where}: a CI job runs 'aisec ci grade' in a "
                         "clone of a workspace repository (made with 'aisec init --git'), "
                         f"which has .aisec/workspace.json. Pass --workspace DIR, or "
                         f"create one with 'aisec init --git' (default ./{DEFAULT_WORKSPACE}).")
    return root


def open_for_ci(workspace: Path | None, state_dir: Path, track_id: str | None = None,
                config_track: bool = True) -> tuple[CIWorkspace, Ignored]:
    """The clone at ``workspace`` (or above the cwd) ready to grade, and what was ignored.

    ``config_track=False`` (``--all``) grades the whole course whatever workspace.json
    says: the workflows pass it for a workspace without a track, so that a learner who
    writes a short track into workspace.json does not shrink what is graded.
    """
    root = find_root(workspace)
    ensure_trusted(root)
    paths = WorkspacePaths(root)
    config = read_config(paths)
    course = load_course(default_course_dir())
    expected = config.get("course_id")
    if expected and expected != course.id:
        raise UsageError(f"{paths.config} says this workspace belongs to the course "
                         f"'{expected}', but the installed aisec-tutor holds '{course.id}'. "
                         "Install the aisec-tutor that has that course.")
    track_id = track_id or (config.get("track") if config_track else None) or None
    track = course.track(track_id) if isinstance(track_id, str) else None
    custom = config.get("course_dir")
    ignored = Ignored(custom if isinstance(custom, str) and custom else None,
                      paths.progress.exists())
    return CIWorkspace(root, course, track, state_dir), ignored
