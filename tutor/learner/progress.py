"""The learner's progress: ``.aisec/progress.json``, schema-versioned, written atomically.

It records what a learner did — lessons opened and finished, quiz answers,
attempts, first pass, hints revealed, solutions viewed — and never their code.

Nothing in the file is trusted until :func:`clean` has checked it: a file that
cannot be read at all (not JSON, not a mapping, nested too deeply, too big, not a
regular file) is moved aside whole; a bad record or field (``"attempts": "x"``, a
record that is a list...) is taken out, kept in a side file next to it, and the
rest of the progress is kept. Either way the learner gets a warning naming both
files, and everything downstream (``Workspace.status()``, reports, the TUI) can
rely on the types documented in :data:`EXERCISE_FIELDS` and :data:`LESSON_FIELDS`.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tutor.errors import UsageError
from tutor.text.untrusted_json import BadFile, loads_limited, not_plain, read_limited

SCHEMA_VERSION = 1
MAX_BYTES = 5 * 1024 * 1024  # a real progress file is a few KB; 5 MB is years of use
MAX_COUNT = 1_000_000  # attempts, hints, checks: nobody runs a check a million times
STATES = ("pending", "passed", "failed", "error", "timeout")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def empty() -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "created_at": now(), "lessons": {}, "exercises": {}}


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON so that a crash leaves either the old file or the new one, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# -- validating progress data ----------------------------------------------------------------


def _count(value: Any) -> bool:
    return type(value) is int and 0 <= value <= MAX_COUNT


def _flag(value: Any) -> bool:
    return type(value) is bool


def _timestamp(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _state(value: Any) -> bool:
    return isinstance(value, str) and value in STATES


def _choice(value: Any) -> bool:
    return type(value) is int and 0 <= value <= 1000


# What each known field must be; fields not listed are kept as they are (a later
# version of aisec may have written them), as long as they are not absurdly nested.
FieldCheck = Callable[[Any], bool]
EXERCISE_FIELDS: dict[str, tuple[FieldCheck, str]] = {
    "attempts": (_count, f"a whole number from 0 to {MAX_COUNT:,}"),
    "hints_revealed": (_count, f"a whole number from 0 to {MAX_COUNT:,}"),
    "checks_passed": (_count, f"a whole number from 0 to {MAX_COUNT:,}"),
    "checks_total": (_count, f"a whole number from 0 to {MAX_COUNT:,}"),
    "attempts_to_pass": (_count, f"a whole number from 0 to {MAX_COUNT:,}"),
    "solution_viewed": (_flag, "true or false"),
    "solution_viewed_before_pass": (_flag, "true or false"),
    "last_status": (_state, "one of " + ", ".join(STATES)),
    "first_checked_at": (_timestamp, "a date and time"),
    "last_checked_at": (_timestamp, "a date and time"),
    "first_passed_at": (_timestamp, "a date and time"),
    "solution_viewed_at": (_timestamp, "a date and time"),
    "first_hint_at": (_timestamp, "a date and time"),
}
LESSON_FIELDS: dict[str, tuple[FieldCheck, str]] = {
    "opened_at": (_timestamp, "a date and time"),
    "finished_at": (_timestamp, "a date and time"),
}
ANSWER_FIELDS: dict[str, tuple[FieldCheck, str]] = {
    "attempts": (_count, f"a whole number from 0 to {MAX_COUNT:,}"),
    "choice": (_choice, "a whole number from 0 to 1,000"),
    "correct": (_flag, "true or false"),
    "first_correct": (_flag, "true or false"),
    "answered_at": (_timestamp, "a date and time"),
}
TOP_FIELDS: dict[str, tuple[FieldCheck, str]] = {
    "created_at": (_timestamp, "a date and time"),
    "updated_at": (_timestamp, "a date and time"),
}


@dataclass
class SetAside:
    """One record or field taken out of the progress data, kept with why."""

    where: str  # e.g. "exercises.luhn.attempts"
    why: str
    value: Any

    def to_json(self) -> dict[str, str]:
        try:  # the raw JSON text: exact, and never NaN or Infinity in our own file
            raw = json.dumps(self.value, ensure_ascii=False, sort_keys=True)
        except (ValueError, RecursionError):
            raw = repr(self.value)[:10_000]
        return {"where": self.where, "why": self.why, "raw": raw}


@dataclass
class Cleaned:
    data: dict[str, Any]
    set_aside: list[SetAside] = field(default_factory=list)


def _clean_fields(record: dict[str, Any], rules: dict[str, tuple[FieldCheck, str]], where: str,
                  out: list[SetAside]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in record.items():
        rule = rules.get(key)
        if rule is not None and not rule[0](value):
            out.append(SetAside(f"{where}.{key}", f"not {rule[1]}", value))
        elif rule is None and (why := not_plain(value)):
            out.append(SetAside(f"{where}.{key}", why, value))
        else:
            kept[key] = value
    return kept


def _clean_map(data: dict[str, Any], key: str, out: list[SetAside],
               clean_record: Callable[[dict[str, Any], str], dict[str, Any]]) -> dict[str, Any]:
    records = data.get(key, {})
    if not isinstance(records, dict):
        out.append(SetAside(key, "not a mapping of records", records))
        return {}
    kept: dict[str, Any] = {}
    for record_id, record in records.items():
        where = f"{key}.{record_id}"
        if not isinstance(record, dict):
            out.append(SetAside(where, "not a record (a mapping of fields)", record))
        else:
            kept[record_id] = clean_record(record, where)
    return kept


def clean(data: Any) -> Cleaned:
    """Progress data with every known field of the right type and range.

    Raises :class:`BadFile` when nothing can be trusted (not a mapping, no usable
    schema version); otherwise returns the data without its bad records and fields,
    and those in ``set_aside``. The one place that knows the file's shape.
    """
    if not isinstance(data, dict):
        raise BadFile("it is not an aisec progress file (not a JSON object)")
    version = data.get("schema_version")
    if type(version) is not int or version < 1:
        raise BadFile("it is not an aisec progress file (no schema_version)")
    out: list[SetAside] = []

    def clean_lesson(record: dict[str, Any], where: str) -> dict[str, Any]:
        kept = _clean_fields({k: v for k, v in record.items() if k != "quiz"}, LESSON_FIELDS,
                             where, out)
        if "quiz" in record:
            quiz = record["quiz"]
            if not isinstance(quiz, dict):
                out.append(SetAside(f"{where}.quiz", "not a mapping of answers", quiz))
            else:
                answers = {}
                for quiz_id, answer in quiz.items():
                    if isinstance(answer, dict):
                        answers[quiz_id] = _clean_fields(answer, ANSWER_FIELDS,
                                                         f"{where}.quiz.{quiz_id}", out)
                    else:
                        out.append(SetAside(f"{where}.quiz.{quiz_id}", "not an answer record",
                                            answer))
                kept["quiz"] = answers
        return kept

    def clean_exercise(record: dict[str, Any], where: str) -> dict[str, Any]:
        return _clean_fields(record, EXERCISE_FIELDS, where, out)

    lessons = _clean_map(data, "lessons", out, clean_lesson)
    exercises = _clean_map(data, "exercises", out, clean_exercise)
    rest = {k: v for k, v in data.items()
            if k not in ("schema_version", "lessons", "exercises")}
    cleaned = {"schema_version": version, **_clean_fields(rest, TOP_FIELDS, "progress", out),
               "lessons": lessons, "exercises": exercises}
    return Cleaned(cleaned, out)


# -- the store ------------------------------------------------------------------------------


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
    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []

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

    def load(self) -> dict[str, Any]:
        """The progress data, checked; a missing file is a fresh start.

        A bad file or record is set aside (under the lock, so only one process does
        it) and the repaired data saved, so the warning comes once.
        """
        found = self._read()
        if found is None:
            return empty()
        if isinstance(found, Cleaned) and not found.set_aside:
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

    def _repaired(self) -> dict[str, Any]:
        """Read again and set aside what is bad; call with the lock held."""
        found = self._read()
        if found is None:
            return empty()
        if isinstance(found, BadFile):
            return self._set_aside(str(found))
        if found.set_aside:
            self._set_aside_records(found)
        return found.data

    def _set_aside(self, reason: str) -> dict[str, Any]:
        aside = _free_name(self.path.with_name(f"{self.path.name}.corrupt-{_stamp()}"))
        try:
            os.replace(self.path, aside)
            where = f"It was moved to {aside}"
        except OSError:
            where = "It could not be moved aside and will be replaced on the next save"
        self._warn(
            f"Your progress file {self.path} was unreadable: {reason}. {where} and a fresh "
            "progress record was started. Your exercise files are untouched.")
        return empty()

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

    def update(self, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        """Apply ``change`` to the latest data and save it, under a lock."""
        with _locked(self._lock_path):
            data = self._repaired()
            change(data)
            data["updated_at"] = now()
            write_json_atomic(self.path, data)
        return data


def exercise_record(data: dict[str, Any], exercise_id: str) -> dict[str, Any]:
    record = data["exercises"].setdefault(exercise_id, {})
    if not isinstance(record, dict):
        record = data["exercises"][exercise_id] = {}
    record.setdefault("attempts", 0)
    record.setdefault("hints_revealed", 0)
    record.setdefault("solution_viewed", False)
    return record


def lesson_record(data: dict[str, Any], lesson_id: str) -> dict[str, Any]:
    record = data["lessons"].setdefault(lesson_id, {})
    if not isinstance(record, dict):
        record = data["lessons"][lesson_id] = {}
    if not isinstance(record.get("quiz"), dict):
        record["quiz"] = {}
    return record
