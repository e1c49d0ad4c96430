"""Keeping a learner's progress: reading, validating and changing ``progress.json``.

Nothing in the file is trusted until :func:`tutor.learner.schema.clean` has
checked it: a file that cannot be read at all (not JSON, not a mapping, nested
too deeply, too big, not a regular file) is moved aside whole; a bad record or
field (``"attempts": "x"``, a record that is a list...) is taken out, kept in a
side file next to it, and the rest of the progress is kept. Either way the
learner gets a warning naming both files.

Readers get a :class:`~tutor.learner.state.Snapshot`. Every change happens under
a file lock (the TUI, ``aisec watch`` in another terminal and one-off commands
may all write) and returns the new snapshot. A change made by another process is
noticed by the file's modification time, size and inode.
"""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from tutor.errors import UsageError
from tutor.learner.saves import Signature, signature
from tutor.learner.schema import (
    MAX_COUNT,
    SCHEMA_VERSION,
    Cleaned,
    ExerciseData,
    LessonData,
    ProgressData,
    SetAside,
    clean,
    empty,
    now,
)
from tutor.learner.state import LabRecord, Place, Snapshot
from tutor.text.atomic_write import write_json_atomic
from tutor.text.untrusted_json import BadFile, loads_limited, read_limited

MAX_BYTES = 5 * 1024 * 1024  # a real progress file is a few KB; 5 MB is years of use


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    """Serialise read-modify-write between the TUI, `watch` and other commands."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: atomic replace still keeps the file whole
            yield
            return
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _free_name(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3``...: an earlier file set aside is never overwritten."""
    candidate, number = path, 1
    while os.path.lexists(candidate):
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _listing(items: list[SetAside], shown: int = 5) -> str:
    from tutor.text.safe import safe_line

    parts = [f"{safe_line(i.where, 80)} ({i.why})" for i in items[:shown]]
    more = len(items) - shown
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


class ProgressStore:
    """One workspace's ``progress.json``: snapshots to read, named changes to write."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []
        self._cached: tuple[Signature, Snapshot] | None = None
        # The last good data this process read or wrote: if the file is damaged while
        # the app runs (an editor, a script, a full disk), it is written back.
        self._last_good: ProgressData | None = None

    def snapshot(self) -> Snapshot:
        """The progress now. Read again only when the file has changed since."""
        now_on_disk = signature(self.path)
        if self._cached is not None and now_on_disk is not None and self._cached[0] == now_on_disk:
            return self._cached[1]
        snapshot = Snapshot.from_data(self._load())
        self._cached = (signature(self.path), snapshot)
        return snapshot

    def take_warnings(self) -> list[str]:
        """Warnings about the file not yet shown to the learner (each is given once)."""
        taken, self.warnings = self.warnings, []
        return taken

    def _read(self) -> Cleaned | BadFile | None:
        """What the file holds now: clean data, why it is unusable, or None if missing."""
        try:
            raw = read_limited(self.path, MAX_BYTES)
        except FileNotFoundError:
            return None
        except BadFile as exc:
            return exc
        except OSError as exc:
            return BadFile(f"it could not be read ({exc.strerror or exc})")
        try:
            data = loads_limited(raw)
            if isinstance(data, dict) and type(data.get("schema_version")) is int \
                    and data["schema_version"] > SCHEMA_VERSION:
                raise UsageError(
                    f"{self.path} was written by a newer aisec-tutor (schema "
                    f"{data['schema_version']}). Upgrade with 'pip install -U aisec-tutor'; "
                    "the file was left untouched.")
            return clean(data)
        except BadFile as exc:
            return exc

    def _load(self) -> ProgressData:
        """The progress data, checked; a missing file is a fresh start.

        A bad file or record is set aside (under the lock, so only one process does
        it) and the repaired data saved, so the warning comes once.
        """
        found = self._read()
        if found is None:
            return empty()
        if isinstance(found, Cleaned) and not found.set_aside:
            self._last_good = copy.deepcopy(found.data)
            return found.data
        try:
            with _locked(self._lock_path):
                return self._repaired()
        except OSError as exc:  # e.g. a read-only workspace: use what can be used, say so
            why = exc.strerror or str(exc)
            if isinstance(found, BadFile):
                self._warn(f"Your progress file {self.path} is unreadable: {found}. It could "
                           f"not be moved aside ({why}), so nothing will be recorded until "
                           "the .aisec folder is writable. Your exercise files are untouched.")
                return empty()
            self._warn_ignored(found, why)
            return found.data

    def _warn_ignored(self, found: Cleaned, why: str) -> None:
        """Bad entries that could not be set aside (say, a read-only workspace)."""
        self._warn(
            f"Some entries of your progress file {self.path} are not valid and are ignored: "
            f"{_listing(found.set_aside)}. They could not be set aside ({why}); check that "
            "the .aisec folder is writable. The rest of your progress is used.")

    def _warn(self, message: str) -> None:
        if message not in self.warnings:  # the TUI loads often; say it once
            self.warnings.append(message)

    @property
    def _lock_path(self) -> Path:
        return self.path.with_name("progress.lock")

    def _repaired(self) -> ProgressData:
        """Read again and set aside what is bad; call with the lock held."""
        found = self._read()
        if found is None:
            return empty()
        if isinstance(found, BadFile):
            return self._set_aside(str(found))
        if found.set_aside:
            self._set_aside_records(found)
        self._last_good = copy.deepcopy(found.data)
        return found.data

    def _set_aside(self, reason: str) -> ProgressData:
        aside = _free_name(self.path.with_name(f"{self.path.name}.corrupt-{_stamp()}"))
        try:
            os.replace(self.path, aside)
            where = f"It was moved to {aside}"
            back = (f" To have that progress back, quit aisec, mend that file (it is JSON) "
                    f"and move it back to {self.path}.")
        except OSError:
            where = "It could not be moved aside and will be replaced on the next save"
            back = ""
        if self._last_good is not None and self._written_back(self._last_good):
            self._warn(
                f"Your progress file {self.path} became unreadable while aisec was running: "
                f"{reason}. {where}, and the progress aisec had last read was written back, "
                "so nothing recorded before is lost. Your exercise files are untouched.")
            return copy.deepcopy(self._last_good)
        self._warn(
            f"Your progress file {self.path} was unreadable: {reason}. {where} and a fresh "
            f"progress record was started. Your exercise files are untouched.{back}")
        return empty()

    def _written_back(self, data: ProgressData) -> bool:
        try:
            write_json_atomic(self.path, data)
        except OSError:
            return False
        return True

    def _set_aside_records(self, found: Cleaned) -> None:
        side = _free_name(self.path.with_name(f"{self.path.name}.set-aside-{_stamp()}"))
        listing = _listing(found.set_aside)
        try:
            write_json_atomic(side, {"from": str(self.path), "at": now(),
                                     "why": "these entries of the progress file were not valid",
                                     "records": [s.to_json() for s in found.set_aside]})
            write_json_atomic(self.path, found.data)
        except OSError as exc:
            self._warn_ignored(found, exc.strerror or str(exc))
            return
        self._warn(
            f"Some entries of your progress file {self.path} were not valid and were set "
            f"aside: {listing}. They are kept in {side}; the rest of your progress is kept "
            "and new results are recorded as usual. Nothing to do (delete that file once "
            "you have looked at it).")

    def _update(self, change: Callable[[ProgressData], None]) -> Snapshot:
        """Apply ``change`` to the latest data and save it, under the lock."""
        with _locked(self._lock_path):
            data = self._repaired()
            change(data)
            data["updated_at"] = now()
            write_json_atomic(self.path, data)
            self._last_good = copy.deepcopy(data)
            snapshot = Snapshot.from_data(data)
            self._cached = (signature(self.path), snapshot)
        return snapshot

    # -- the changes a learner's actions make ---------------------------------------------

    def start(self) -> Snapshot:
        """Write a fresh progress file (a new workspace)."""
        return self._update(lambda data: None)

    def record_attempt(self, exercise_id: str, status: str, checks_passed: int,
                       checks_total: int, digest: str | None = None,
                       lab: LabRecord | None = None) -> Snapshot:
        """One grading of an exercise; the first pass is remembered for good.

        ``digest`` is the SHA-256 of the file that was graded, so that a grading of
        the same file again (opening the exercise) is known not to be a new attempt.
        ``lab`` is a defence lab's scores in that grading (the last ones are kept).
        """
        def change(data: ProgressData) -> None:
            _turn_to(data, exercise_id)  # before this grading: was it passed already?
            record = _exercise(data, exercise_id)
            if digest is not None:
                record["last_checked_digest"] = digest
            attempts = min(record.get("attempts", 0) + 1, MAX_COUNT)  # stays valid on reload
            record["attempts"] = attempts
            record.setdefault("first_checked_at", now())
            record["last_checked_at"] = now()
            record["last_status"] = status
            record["checks_passed"], record["checks_total"] = checks_passed, checks_total
            if lab is not None:
                stored = cast(dict[str, Any], record)
                for key, value in lab.fields().items():
                    if value is None:
                        stored.pop(key, None)
                    else:
                        stored[key] = value
            if status == "passed" and not record.get("first_passed_at"):
                record["first_passed_at"] = now()
                record["attempts_to_pass"] = attempts

        return self._update(change)

    def reveal_hint(self, exercise_id: str, available: int) -> Snapshot:
        """One more of the ``available`` hints, if any is left."""
        def change(data: ProgressData) -> None:
            _turn_to(data, exercise_id)
            record = _exercise(data, exercise_id)
            if record.get("hints_revealed", 0) < available:
                record["hints_revealed"] = record.get("hints_revealed", 0) + 1
                record.setdefault("first_hint_at", now())

        return self._update(change)

    def view_solution(self, exercise_id: str) -> Snapshot:
        """The learner looked at the reference solution (before passing, if they had not)."""
        def change(data: ProgressData) -> None:
            record = _exercise(data, exercise_id)
            # Comparing with the reference after a pass is not going back to redo it.
            _make_current(data, exercise_id, revisit=False)
            record["solution_viewed"] = True
            record.setdefault("solution_viewed_at", now())
            if not record.get("first_passed_at"):  # decided under the lock, from the file
                record["solution_viewed_before_pass"] = True

        return self._update(change)

    def work_on(self, exercise_id: str) -> Snapshot:
        """The learner turned to this exercise (opened it, reset it): it is now current,
        even if it passed before (they came back to it on purpose)."""
        state = self.snapshot()
        if state.last_exercise == exercise_id and \
                state.revisiting == state.exercise(exercise_id).passed:
            return state

        def change(data: ProgressData) -> None:
            _turn_to(data, exercise_id)

        return self._update(change)

    def record_place(self, screen: str, place_id: str, scroll: int = 0) -> Snapshot:
        """Where the learner is in the app, so that Continue brings them back there.
        Opening an exercise also makes it the current one."""
        place = Place(screen, place_id, max(0, min(scroll, MAX_COUNT)))
        state = self.snapshot()
        if state.place == place and (screen != "exercise" or state.last_exercise == place_id):
            return state

        def change(data: ProgressData) -> None:
            data["place"] = {"screen": place.screen, "id": place.id, "scroll": place.scroll}
            if screen == "exercise":
                _turn_to(data, place_id)

        return self._update(change)

    def set_theme(self, theme: str) -> Snapshot:
        """The learner's theme, kept with the workspace."""
        if self.snapshot().theme == theme:
            return self.snapshot()

        def change(data: ProgressData) -> None:
            data.setdefault("settings", {})["theme"] = theme

        return self._update(change)

    def record_lesson(self, lesson_id: str, *, opened: bool = False,
                      finished: bool = False) -> Snapshot:
        """A lesson opened or read to its end. Only the first time is written."""
        state = self.snapshot()
        known = state.lesson(lesson_id)
        if (not opened or known.opened) and (not finished or known.finished):
            return state

        def change(data: ProgressData) -> None:
            record = _lesson(data, lesson_id)
            if opened:
                record.setdefault("opened_at", now())
            if finished:
                record.setdefault("finished_at", now())

        return self._update(change)

    def record_quiz(self, lesson_id: str, quiz_id: str, choice: int, correct: bool) -> Snapshot:
        """An answer to one quiz question (the first answer's correctness is kept, and a
        right answer stays right: a later wrong try, say a stray key, changes nothing)."""
        def change(data: ProgressData) -> None:
            quiz = _lesson(data, lesson_id).setdefault("quiz", {})
            answer = quiz.setdefault(quiz_id, {"attempts": 0})
            if answer.get("correct") is True and not correct:
                return
            answer["attempts"] = min(answer.get("attempts", 0) + 1, MAX_COUNT)
            answer["choice"], answer["correct"] = choice, correct
            answer.setdefault("first_correct", correct)
            answer["answered_at"] = now()

        return self._update(change)


def _make_current(data: ProgressData, exercise_id: str, *, revisit: bool) -> None:
    """``exercise_id`` is now the one last worked on. ``revisit``: it had passed and
    the learner came back to it (a reset, a hint, opening it), so it stays current
    instead of the course moving on past it."""
    data["current_exercise"] = exercise_id
    if revisit:
        data["revisiting"] = True
    else:
        data.pop("revisiting", None)


def _turn_to(data: ProgressData, exercise_id: str) -> None:
    """The learner turned to ``exercise_id``: current, and a revisit if it had passed."""
    passed = bool(data.get("exercises", {}).get(exercise_id, {}).get("first_passed_at"))
    _make_current(data, exercise_id, revisit=passed)


def _exercise(data: ProgressData, exercise_id: str) -> ExerciseData:
    return data.setdefault("exercises", {}).setdefault(exercise_id, {})


def _lesson(data: ProgressData, lesson_id: str) -> LessonData:
    return data.setdefault("lessons", {}).setdefault(lesson_id, {})
