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
from typing import Any

from tutor import __version__
from tutor.course.layout import default_course_dir
from tutor.course.model import Course, Exercise, LessonEntry, Track, load_course
from tutor.errors import TutorError, UsageError
from tutor.grader.result import GradeResult
from tutor.learner.files import LearnerFiles
from tutor.learner.paths import DEFAULT_WORKSPACE, WorkspacePaths, ensure_trusted, find_workspace
from tutor.learner.progress import (
    MAX_COUNT,
    ProgressStore,
    exercise_record,
    lesson_record,
    now,
    write_json_atomic,
)

WORKSPACE_README = """\
# {title}

This is your aisec-tutor workspace. Edit the files in `exercises/`; run
`aisec` here to open the course, or use the plain commands:

    aisec list              lessons and exercises, with your status
    aisec lesson ID         read a lesson in the terminal
    aisec check ID          run the hidden checks on your file
    aisec watch ID          re-check every time you save
    aisec hint ID           reveal the next hint
    aisec reset ID          restore the starter (your file is backed up first)

Reference solutions appear in `solutions/` once an exercise passes.
Your progress is kept in `.aisec/`; it never contains your code.
"""


@dataclass(frozen=True)
class Status:
    """Where a learner stands on one exercise."""

    state: str  # "pending" | "passed" | "failed" | "error" | "timeout"
    attempts: int = 0
    hints_revealed: int = 0
    solution_viewed: bool = False


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
        config = read_config(WorkspacePaths(root))
        if course_dir is None and config.get("course_dir"):
            course_dir = Path(config["course_dir"])
            if not course_dir.is_dir():
                raise UsageError(f"This workspace was made from the course at {course_dir}, "
                                 "which no longer exists. Pass --course DIR to use another copy.")
        course = load_course(course_dir or default_course_dir())
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
        workspace.progress.update(lambda data: None)
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

    # -- status --------------------------------------------------------------

    def status(self, ex: Exercise, data: dict[str, Any] | None = None) -> Status:
        data = data if data is not None else self.progress.load()
        record = data["exercises"].get(ex.id)
        if not isinstance(record, dict):
            return Status("pending")
        state = "passed" if record.get("first_passed_at") else record.get("last_status", "pending")
        return Status(state=str(state), attempts=int(record.get("attempts", 0)),
                      hints_revealed=int(record.get("hints_revealed", 0)),
                      solution_viewed=bool(record.get("solution_viewed", False)))

    def current_exercise(self, data: dict[str, Any] | None = None) -> Exercise | None:
        """The first exercise of the track (or course) not yet passed, in order."""
        data = data if data is not None else self.progress.load()
        for ex in self.track_exercises:
            if self.status(ex, data).state != "passed":
                return ex
        return None

    def next_exercise(self, ex: Exercise) -> Exercise | None:
        """The next exercise of the track after ``ex`` that is not passed yet."""
        data = self.progress.load()
        exercises = self.track_exercises
        if ex not in exercises:  # opened on purpose outside the track: back to the track
            exercises = [ex, *exercises]
        index = exercises.index(ex)
        for candidate in exercises[index + 1:] + exercises[:index]:
            if self.status(candidate, data).state != "passed":
                return candidate
        return None

    # -- grading ---------------------------------------------------------------

    def check(self, ex: Exercise, cancel: threading.Event | None = None) -> GradeResult:
        """Grade the learner's file, record the attempt, reveal the solution on a pass."""
        from tutor.grader.runner import grade

        result = grade(self.course.paths.checks, ex.id, self.exercise_path(ex), self.display(ex),
                       ex.timeout, cancel=cancel)
        if cancel is not None and cancel.is_set():
            return result
        passed, total = result.counts()

        def record(data: dict[str, Any]) -> None:
            rec = exercise_record(data, ex.id)
            rec["attempts"] = min(rec["attempts"] + 1, MAX_COUNT)  # stays valid on reload
            rec.setdefault("first_checked_at", now())
            rec["last_checked_at"] = now()
            rec["last_status"] = result.status
            rec["checks_passed"], rec["checks_total"] = passed, total
            if result.passed and not rec.get("first_passed_at"):
                rec["first_passed_at"] = now()
                rec["attempts_to_pass"] = rec["attempts"]

        self.progress.update(record)
        if result.passed:
            try:
                self.reveal_solution(ex)
            except (TutorError, OSError) as exc:  # the pass stands; say why there is no copy
                why = str(exc) if isinstance(exc, TutorError) else (exc.strerror or str(exc))
                note = (f"The reference solution could not be copied into "
                        f"{self.solution_display(ex)}: {why}")
                result = replace(result, message=f"{result.message}\n{note}".strip())
        return result

    # -- solutions, hints, reset ---------------------------------------------

    def reveal_solution(self, ex: Exercise) -> Path:
        """Copy the reference solution into solutions/ (an edited copy is backed up)."""
        target = self.paths.solution(ex.file)
        self.files.write(target, self.course.paths.solution(ex.id).read_bytes(),
                         self.paths.solutions, f"{ex.id}-solution")
        return target

    def view_solution(self, ex: Exercise, force: bool) -> Path:
        """Reveal the solution if earned (or forced); record that it was viewed."""
        passed = self.status(ex).state == "passed"
        if not passed and not force:
            raise UsageError(
                f"'{ex.id}' has not passed yet, so its solution is still hidden. Try "
                f"'aisec hint {ex.id}' first; to see it anyway, run 'aisec solution {ex.id} "
                "--force' (your progress will show that you did)."
            )

        def record(data: dict[str, Any]) -> None:
            rec = exercise_record(data, ex.id)
            rec["solution_viewed"] = True
            rec.setdefault("solution_viewed_at", now())
            if not passed:
                rec["solution_viewed_before_pass"] = True

        self.progress.update(record)
        return self.reveal_solution(ex)

    def reveal_hint(self, ex: Exercise) -> tuple[int, bool]:
        """Reveal one more hint. Returns (hints now revealed, whether a new one was)."""
        total = len(ex.hints)
        revealed = {"count": 0, "new": False}

        def record(data: dict[str, Any]) -> None:
            rec = exercise_record(data, ex.id)
            if rec["hints_revealed"] < total:
                rec["hints_revealed"] += 1
                rec.setdefault("first_hint_at", now())
                revealed["new"] = True
            revealed["count"] = min(rec["hints_revealed"], total)

        self.progress.update(record)
        return revealed["count"], bool(revealed["new"])

    def reset(self, ex: Exercise) -> Path | None:
        """Restore the starter; back up the learner's file first. Returns the backup path
        (None when there was nothing to keep: no file, or already the starter)."""
        return self.save(ex, self.course.paths.starter(ex.file).read_bytes())

    def save(self, ex: Exercise, data: bytes) -> Path | None:
        """Write the learner's file atomically, keeping the previous version in
        .aisec/backups/. Returns that backup, or None if nothing changed or there
        was no previous version. Raises UsageError when the write would be unsafe."""
        return self.files.write(self.exercise_path(ex), data, self.paths.exercises, ex.id)

    def backup_text(self, ex: Exercise, text: str) -> Path:
        """Keep text that is not on disk (unsaved editor edits) in .aisec/backups/."""
        return self.files.backup(ex.id, text.encode("utf-8", errors="surrogatepass"))

    # -- lessons -----------------------------------------------------------------

    def record_lesson(self, lesson_id: str, *, opened: bool = False, finished: bool = False,
                      quiz: tuple[str, int, bool] | None = None) -> None:
        def record(data: dict[str, Any]) -> None:
            rec = lesson_record(data, lesson_id)
            if opened:
                rec.setdefault("opened_at", now())
            if finished:
                rec.setdefault("finished_at", now())
            if quiz is not None:
                quiz_id, choice, correct = quiz
                answer = rec["quiz"].setdefault(quiz_id, {"attempts": 0})
                answer["attempts"] = min(int(answer.get("attempts", 0)) + 1, MAX_COUNT)
                answer["choice"], answer["correct"] = choice, correct
                answer.setdefault("first_correct", correct)
                answer["answered_at"] = now()

        self.progress.update(record)


def read_config(paths: WorkspacePaths) -> dict[str, Any]:
    try:
        data = json.loads(paths.config.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise UsageError(f"{paths.config} could not be read ({exc}). Delete it to use the "
                         "default course; your exercises and progress are separate.") from None
    return data if isinstance(data, dict) else {}


def load_course_for(course_dir: Path | None) -> Course:
    return load_course(course_dir or default_course_dir())
