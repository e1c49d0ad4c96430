"""The learner's progress: ``.aisec/progress.json``, schema-versioned, written atomically.

It records what a learner did — lessons opened and finished, quiz answers,
attempts, first pass, hints revealed, solutions viewed — and never their code.
A file that cannot be read is moved aside with a warning, never silently dropped.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tutor.errors import UsageError

SCHEMA_VERSION = 1


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


class ProgressStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []

    def load(self) -> dict[str, Any]:
        """The progress data; a missing file is a fresh start."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return empty()
        except (OSError, UnicodeDecodeError) as exc:
            return self._set_aside(f"it could not be read ({exc})")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return self._set_aside(f"it is not valid JSON (line {exc.lineno}: {exc.msg})")
        if not isinstance(data, dict) or not isinstance(data.get("schema_version"), int):
            return self._set_aside("it is not an aisec progress file")
        if data["schema_version"] > SCHEMA_VERSION:
            raise UsageError(
                f"{self.path} was written by a newer aisec-tutor (schema "
                f"{data['schema_version']}). Upgrade with 'pip install -U aisec-tutor'; "
                "the file was left untouched."
            )
        for key in ("lessons", "exercises"):
            if not isinstance(data.get(key), dict):
                data[key] = {}
        return data

    def _set_aside(self, reason: str) -> dict[str, Any]:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            os.replace(self.path, aside)
            where = f"It was moved to {aside}"
        except OSError:
            where = "It could not be moved aside and will be replaced on the next save"
        self.warnings.append(
            f"Your progress file {self.path} was unreadable: {reason}. {where} and a fresh "
            "progress record was started. Your exercise files are untouched."
        )
        return empty()

    def update(self, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        """Apply ``change`` to the latest data and save it, under a lock."""
        with _locked(self.path.with_name("progress.lock")):
            data = self.load()
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
