"""A learner's workspace: their exercise files, revealed solutions and progress.

Operations here never lose a learner's code: ``init`` refuses to overwrite,
``reset`` and the in-app editor's saves back the file up first, and solutions
are written only into ``solutions/``. Every write into ``exercises/`` or
``solutions/`` goes through :class:`tutor.learner.files.LearnerFiles`: atomic,
backed up, never through a symbolic link to somewhere outside the workspace.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor import __version__
from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course
from tutor.course.model import Course, Exercise, LessonEntry, Track
from tutor.errors import TutorError, UsageError
from tutor.labs.labels import BLOCKED, USEFUL
from tutor.learner.files import LearnerFiles
from tutor.learner.manifest_cache import ManifestCache
from tutor.learner.paths import DEFAULT_WORKSPACE, WorkspacePaths, ensure_trusted, find_workspace
from tutor.learner.readme import WORKSPACE_README
from tutor.learner.schema import now
from tutor.learner.state import LabRecord, Snapshot
from tutor.learner.store import ProgressStore
from tutor.text.atomic_write import write_json_atomic

if TYPE_CHECKING:  # only named in annotations: the app starts without the grader
    from tutor.grader.result import GradeResult


class SolutionLocked(UsageError):
    """The solution was asked for before the exercise passed, without forcing it."""

    def __init__(self, exercise_id: str) -> None:
        self.exercise_id = exercise_id
        super().__init__(f"'{exercise_id}' has not passed yet, so its solution is still hidden.")


@dataclass(frozen=True)
class Checked:
    """A grading, the progress after it, and whether it counted as an attempt."""

    result: GradeResult
    state: Snapshot
    recorded: bool = True


# A live lab asks the learner's model about every case of both corpora.
LIVE_TIMEOUT_S = 1800.0


@dataclass(frozen=True)
class LiveModel:
    """The learner's own Ollama server and model, for ``aisec lab ID --live``."""

    host: str
    model: str


@dataclass(frozen=True)
class Grading:
    """A grading not recorded yet: the verdict and the digest of the file graded."""

    exercise: Exercise
    result: GradeResult
    digest: str | None


@dataclass(frozen=True)
class HintReveal:
    """How many hints are revealed now, whether this asked for a new one, and the progress."""

    count: int
    new: bool
    state: Snapshot


@dataclass(frozen=True)
class SolutionView:
    path: Path
    state: Snapshot


class Workspace:
    def __init__(self, root: Path, course: Course, track: Track | None = None) -> None:
        self.root = root
        self.paths = WorkspacePaths(root)
        self.course = course
        self.track = track  # a workshop subset; everything else stays reachable on purpose
        self.progress = ProgressStore(self.paths.progress)
        self.files = LearnerFiles(root)

    # -- finding and creating ------------------------------------------------

    @classmethod
    def open(cls, workspace: Path | None, course_dir: Path | None) -> Workspace:
        """Open the workspace at ``workspace`` or the nearest one above the cwd."""
        if workspace is not None:
            root = workspace.resolve()
            if not (root / ".aisec").is_dir():
                raise UsageError(f"{root} is not an aisec workspace (it has no .aisec/ folder). "
                                 f"Create one with 'aisec init {workspace}'.")
        else:
            found = find_workspace()
            if found is None:
                raise UsageError(
                    "No aisec workspace here or in any folder above. Create one with "
                    f"'aisec init' (it makes ./{DEFAULT_WORKSPACE}), then cd into it — or "
                    "pass --workspace DIR."
                )
            root = found
        ensure_trusted(root)  # someone else's .aisec/ must not choose what runs here
        paths = WorkspacePaths(root)
        config = read_config(paths)
        if course_dir is None and config.get("course_dir"):
            course_dir = Path(config["course_dir"])
            if not course_dir.is_dir():
                raise UsageError(f"This workspace was made from the course at {course_dir}, "
                                 "which no longer exists. Pass --course DIR to use another copy.")
        course = load_course(course_dir or default_course_dir(), ManifestCache(paths.cache))
        expected = config.get("course_id")
        if expected and expected != course.id:
            raise UsageError(f"This workspace belongs to the course '{expected}', but "
                             f"{course.root} holds '{course.id}'. Pass --course with the "
                             "right course directory.")
        track_id = config.get("track")
        track = None
        if isinstance(track_id, str) and track_id:
            try:
                track = course.track(track_id)
            except UsageError:
                track = None  # the course dropped the track: show the whole course
        return cls(root, course, track)

    @classmethod
    def create(cls, root: Path, course: Course, custom_course: bool,
               track: Track | None = None) -> Workspace:
        """Make a new workspace; refuse if it would overwrite anything of the learner's."""
        root = root.resolve()
        paths = WorkspacePaths(root)
        if paths.state.exists():
            raise UsageError(f"{root} is already an aisec workspace. cd into it and run "
                             "'aisec', or choose another folder.")
        # lexists: a dangling symbolic link is a clash too (writing would create its target).
        clashes = [paths.exercise(ex.file) for ex in course.exercises
                   if os.path.lexists(paths.exercise(ex.file))]
        if clashes:
            raise UsageError(f"{clashes[0]} already exists; aisec init never overwrites your "
                             "files. Choose an empty folder.")
        files = LearnerFiles(root)
        for ex in course.exercises:  # refuse before writing anything, not half-way through
            files.check(paths.exercise(ex.file), paths.exercises)
        for ex in course.exercises:
            files.write(paths.exercise(ex.file), course.paths.starter(ex.file).read_bytes(),
                        paths.exercises, ex.id)
        paths.state.mkdir(parents=True, exist_ok=True)
        readme = root / "README.md"
        if not os.path.lexists(readme):
            readme.write_text(WORKSPACE_README.format(title=course.title), encoding="utf-8")
        write_json_atomic(paths.config, {
            "schema_version": 1,
            "course_id": course.id,
            "course_dir": str(course.root) if custom_course else None,
            "created_at": now(),
            "created_with": __version__,
            "track": track.id if track else None,
        })
        workspace = cls(root, course, track)
        workspace.progress.start()
        return workspace

    # -- paths ---------------------------------------------------------------

    def exercise_path(self, ex: Exercise) -> Path:
        return self.paths.exercise(ex.file)

    def display(self, ex: Exercise) -> str:
        return f"exercises/{ex.file}"

    def solution_display(self, ex: Exercise) -> str:
        return f"solutions/{ex.file}"

    # -- tracks ----------------------------------------------------------------

    def in_track(self, ex: Exercise) -> bool:
        return self.track is None or ex.id in self.track.exercises

    def lesson_in_track(self, lesson_id: str) -> bool:
        return self.track is None or lesson_id in self.track.lessons

    @property
    def track_lessons(self) -> list[LessonEntry]:
        return [entry for entry in self.course.lessons if self.lesson_in_track(entry.id)]

    @property
    def track_exercises(self) -> list[Exercise]:
        return [ex for ex in self.course.exercises if self.in_track(ex)]

    # -- progress ----------------------------------------------------------------

    def state(self) -> Snapshot:
        """The learner's progress now (read again only if the file changed)."""
        return self.progress.snapshot()

    def current_exercise(self, state: Snapshot | None = None) -> Exercise | None:
        """The exercise the learner is on: the one rule behind Continue and every
        command run without an exercise id.

        It is the exercise last worked on (opened, checked, hinted, reset, solution
        viewed) while it is not passed; once it passes, the next one not passed after
        it — unless the learner came back to a passed exercise on purpose (reset it,
        opened it, asked for a hint), which keeps it current. A learner who has not
        started yet is on the first exercise of their track not passed. None when
        everything is passed.
        """
        state = state or self.state()
        last = self.course.find_exercise(state.last_exercise) if state.last_exercise else None
        if last is not None:
            if state.revisiting or not state.exercise(last.id).passed:
                return last
            return self.next_exercise(last, state)
        return next((ex for ex in self.track_exercises if not state.exercise(ex.id).passed),
                    None)

    def work_on(self, ex: Exercise) -> Snapshot:
        """Make ``ex`` the current exercise (the learner turned to it)."""
        return self.progress.work_on(ex.id)

    def record_place(self, screen: str, place_id: str, scroll: int = 0) -> Snapshot:
        """Remember where the learner is in the app (for Continue)."""
        return self.progress.record_place(screen, place_id, scroll)

    def set_theme(self, theme: str) -> Snapshot:
        return self.progress.set_theme(theme)

    def next_exercise(self, ex: Exercise, state: Snapshot | None = None) -> Exercise | None:
        """The next exercise of the track after ``ex`` that is not passed yet."""
        state = state or self.state()
        exercises = self.track_exercises
        if ex not in exercises:  # opened on purpose outside the track: back to the track
            exercises = [ex, *exercises]
        index = exercises.index(ex)
        return next((candidate for candidate in exercises[index + 1:] + exercises[:index]
                     if not state.exercise(candidate.id).passed), None)

    # -- grading ---------------------------------------------------------------

    def check(self, ex: Exercise, cancel: threading.Event | None = None, *,
              asked: bool = True) -> Checked:
        """Grade the learner's file, record the attempt, reveal the solution on a pass.

        An attempt is a grading of the learner's own work: a file that is still the
        untouched starter never counts (opening, ``check --all`` and reset leave it
        "to do"), and a grading the learner did not ask for (``asked=False``: opening
        an exercise, a watcher starting) counts only when the file changed since the
        last attempt. A cancelled grading is not recorded: the learner stopped it.
        """
        return self.record(self.grade(ex, cancel), cancel, asked=asked)

    def grade(self, ex: Exercise, cancel: threading.Event | None = None,
              live: LiveModel | None = None) -> Grading:
        """Grade the learner's file without recording anything (``check --all`` grades
        in parallel and records in course order). ``live`` runs a lab against the
        learner's own model (``aisec lab --live``): a comparison, never recorded."""
        from tutor.grader.runner import grade
        from tutor.labs.session import lab_settings

        lab = lab_settings(self.course.paths, ex, live.host if live else None,
                           live.model if live else None)
        digest = _digest(self.exercise_path(ex))
        timeout = LIVE_TIMEOUT_S if live is not None and lab is not None else ex.timeout
        result = grade(self.course.paths.checks, ex.id, self.exercise_path(ex), self.display(ex),
                       timeout, cancel=cancel, lab=lab)
        return Grading(ex, result, digest)

    def record(self, grading: Grading, cancel: threading.Event | None = None, *,
               asked: bool = True) -> Checked:
        """Record a grading as :meth:`check` describes."""
        ex, result, digest = grading.exercise, grading.result, grading.digest
        if cancel is not None and cancel.is_set():
            return Checked(result, self.state(), recorded=False)
        if not self._is_attempt(ex, digest, asked):
            return Checked(result, self.state(), recorded=False)
        state = self.progress.record_attempt(ex.id, result.status, *result.counts(), digest,
                                             lab=lab_record(result))
        if result.passed:
            try:
                self.reveal_solution(ex)
            except (TutorError, OSError) as exc:  # the pass stands; say why there is no copy
                why = str(exc) if isinstance(exc, TutorError) else (exc.strerror or str(exc))
                note = (f"The reference solution could not be copied into "
                        f"{self.solution_display(ex)}: {why}")
                result = replace(result, message=f"{result.message}\n{note}".strip())
        return Checked(result, state)

    def _is_attempt(self, ex: Exercise, digest: str | None, asked: bool) -> bool:
        if digest is None:  # no file to grade: only a grading asked for says so
            return asked
        if digest == _digest(self.course.paths.starter(ex.file)):
            return False
        return asked or digest != self.state().exercise(ex.id).last_checked_digest

    # -- solutions, hints, reset ---------------------------------------------

    def reveal_solution(self, ex: Exercise) -> Path:
        """Copy the reference solution into solutions/ (an edited copy is backed up)."""
        target = self.paths.solution(ex.file)
        self.files.write(target, self.course.paths.solution(ex.id).read_bytes(),
                         self.paths.solutions, f"{ex.id}-solution")
        return target

    def view_solution(self, ex: Exercise, force: bool) -> SolutionView:
        """Reveal the solution if earned (or forced); record that it was viewed."""
        if not self.state().exercise(ex.id).passed and not force:
            raise SolutionLocked(ex.id)
        state = self.progress.view_solution(ex.id)
        return SolutionView(self.reveal_solution(ex), state)

    def reveal_hint(self, ex: Exercise) -> HintReveal:
        """Reveal one more hint, if there is one left."""
        before = self.state().exercise(ex.id).hints_revealed
        state = self.progress.reveal_hint(ex.id, len(ex.hints))
        count = min(state.exercise(ex.id).hints_revealed, len(ex.hints))
        return HintReveal(count, count > before, state)

    def reset(self, ex: Exercise) -> Path | None:
        """Restore the starter; back up the learner's file first. Returns the backup path
        (None when there was nothing to keep: no file, or already the starter)."""
        backup = self.save(ex, self.course.paths.starter(ex.file).read_bytes())
        self.work_on(ex)
        return backup

    def save(self, ex: Exercise, data: bytes) -> Path | None:
        """Write the learner's file atomically, keeping the previous version in
        .aisec/backups/. Returns that backup, or None if nothing changed or there
        was no previous version. Raises UsageError when the write would be unsafe."""
        return self.files.write(self.exercise_path(ex), data, self.paths.exercises, ex.id)

    def backup_text(self, ex: Exercise, text: str) -> Path:
        """Keep text that is not on disk (unsaved editor edits) in .aisec/backups/."""
        return self.files.backup(ex.id, text.encode("utf-8", errors="surrogatepass"))

    # -- lessons -----------------------------------------------------------------

    def record_lesson(self, lesson_id: str, *, opened: bool = False,
                      finished: bool = False) -> Snapshot:
        return self.progress.record_lesson(lesson_id, opened=opened, finished=finished)

    def record_quiz(self, lesson_id: str, quiz_id: str, choice: int, correct: bool) -> Snapshot:
        return self.progress.record_quiz(lesson_id, quiz_id, choice, correct)


def read_config(paths: WorkspacePaths) -> dict[str, Any]:
    try:
        data = json.loads(paths.config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise UsageError(f"{paths.config} could not be read ({exc}). Delete it to use the "
                         "default course; your exercises and progress are separate.") from None
    return data if isinstance(data, dict) else {}


def lab_record(result: GradeResult) -> LabRecord | None:
    """A defence lab's scores in ``result``, as progress keeps them; None for an exercise."""
    scores = {c.score.label: c.score for c in result.checks if c.score is not None}
    if not scores:
        return None
    blocked, useful = scores.get(BLOCKED), scores.get(USEFUL)
    return LabRecord((blocked.got, blocked.total) if blocked else None,
                     (useful.got, useful.total) if useful else None,
                     tuple(blocked.misses) if blocked else ())


def _digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes; None if it cannot be read (missing, a folder...)."""
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
