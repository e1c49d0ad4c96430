"""Learners' report files, read defensively for the class summary.

Report files come from learners, so nothing in them is trusted: only regular files
up to :data:`REPORT_LIMIT` are read (never a FIFO, a device or a link to one), a
file that is not a valid aisec report is listed and skipped, and every field the
summary uses is checked for type and range — a bad entry or value is dropped and
named, never fatal.
"""

from __future__ import annotations

import gc
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.learner.schema import MAX_COUNT, STATES, is_case_ids, is_score_pair
from tutor.text.safe import safe_line
from tutor.text.untrusted_json import BadFile, bounded_int, read_limited
from tutor.workshop.ci_env import CI_PROVIDERS, GRADED_IN_KEYS
from tutor.workshop.report import NAME_LIMIT, REPORT_SCHEMA, REPORT_VERSION

REPORT_LIMIT = 1024 * 1024  # a real report is a few KB
MAX_SECONDS = 10 * 365 * 24 * 3600  # a "time to pass" beyond ten years is not a time
ID_LIMIT = 200
# Exercise entries read from one report: a course has dozens. Without a cap, a 1 MB file
# of tiny entries would be kept as some 20 MB of checked entries, and a room of them
# would not fit in memory; with it, what a report keeps is at most about its file size.
MAX_EXERCISES = 1000
MAX_VERSION = 10**30 - 1  # a longer number is read as too big to be one (bounded_int)
URL_LIMIT = 300  # a CI run's address is well under this
# A run's address: https, then only the characters RFC 3986 allows in a URI (no space,
# no quote, no backtick, no control or bidi character).
_RUN_URL = re.compile(r"https://[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+")
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")  # a SHA-1 or SHA-256 git object id


@dataclass
class Loaded:
    reports: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (label, report)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (file, what was left out)
    # Names that more than one report gives, with those reports' files: two learners
    # with one name, or one learner's report handed in twice (or renamed by someone).
    same_name: list[tuple[str, list[str]]] = field(default_factory=list)


class Invalid(Exception):
    """The file is not a usable report; ``str()`` says why."""


def _count(value: Any) -> bool:
    return type(value) is int and 0 <= value <= MAX_COUNT


def _is_state(value: Any) -> bool:
    return isinstance(value, str) and value in STATES


def _is_seconds(value: Any) -> bool:
    return value is None or (type(value) is int and 0 <= value <= MAX_SECONDS)


def _is_flag(value: Any) -> bool:
    return type(value) is bool


def _is_optional_pair(value: Any) -> bool:
    return value is None or is_score_pair(value)


# The fields the summary uses: (key, is it valid, what stands in when absent or bad).
# Checked only when present: a thousand reports of forty exercises each are read in
# about a second.
_EXERCISE_FIELDS: tuple[tuple[str, Callable[[Any], bool], Any], ...] = (
    ("status", _is_state, "pending"),
    ("attempts", _count, 0),
    ("hints_revealed", _count, 0),
    ("time_to_pass_s", _is_seconds, None),
    ("in_track", _is_flag, True),
    ("solution_viewed_before_pass", _is_flag, False),
    ("lab_blocked", _is_optional_pair, None),
    ("lab_useful", _is_optional_pair, None),
    ("lab_attacks_through", is_case_ids, ()),
)


def _clean_exercise(raw: dict[str, Any], bad: list[str]) -> dict[str, Any]:
    """The fields the summary uses, each checked; a bad value falls back and is named."""
    ex_id = raw["id"]
    clean: dict[str, Any] = {"id": ex_id}
    for key, is_valid, default in _EXERCISE_FIELDS:
        if key in raw:
            value = raw[key]
            if is_valid(value):
                clean[key] = value
                continue
            bad.append(f"{safe_line(ex_id, 40)}.{key}")
        clean[key] = default
    return clean


def clean_report(data: Any) -> tuple[dict[str, Any], str | None]:
    """A report reduced to checked fields, and a note of what was dropped (or None).

    Raises :class:`Invalid` when the file is not a usable report at all.
    """
    _check_usable(data)
    bad: list[str] = []  # the fields whose values were dropped, for the note
    course_id = data["course"].get("id")
    if not (isinstance(course_id, str) and 0 < len(course_id) <= ID_LIMIT):
        bad.append("course.id")
        course_id = "?"
    name = data.get("name", "")
    if not isinstance(name, str):
        bad.append("name")
        name = ""
    track = data.get("track")
    if track is not None and not (isinstance(track, str) and 0 < len(track) <= ID_LIMIT):
        bad.append("track")
        track = None
    entries = data["exercises"]
    exercises, malformed, duplicates = _clean_exercises(entries[:MAX_EXERCISES], bad)
    report = {"name": name.strip()[:NAME_LIMIT], "course": {"id": course_id}, "track": track,
              "exercises": exercises, "graded_in": _clean_graded_in(data, bad)}
    return report, _dropped_note(malformed, duplicates, bad,
                                 beyond=max(0, len(entries) - MAX_EXERCISES))


def source(report: dict[str, Any]) -> str:
    """Where a checked report says it was made: "ci" (a CI run) or "self-reported"."""
    return "ci" if report.get("graded_in") else "self-reported"


def share(pair: list[int] | None) -> float | None:
    """A checked [got, total] score as a percentage; None when missing or out of 0."""
    return 100 * pair[0] / pair[1] if pair and pair[1] else None


def _is_text(value: Any, limit: int) -> bool:
    """A short, non-empty, printable string (no control, bidi or line-break character)."""
    return isinstance(value, str) and 0 < len(value) <= limit and value.isprintable()


# One check per key that `aisec ci grade` writes (ci_env.GRADED_IN_KEYS)
_GRADED_IN_CHECKS: dict[str, Callable[[Any], bool]] = {
    "provider": lambda v: isinstance(v, str) and v in CI_PROVIDERS,
    "run_url": lambda v: isinstance(v, str) and len(v) <= URL_LIMIT
    and _RUN_URL.fullmatch(v) is not None,
    "repository": lambda v: _is_text(v, ID_LIMIT),
    "commit": lambda v: isinstance(v, str) and _COMMIT.fullmatch(v) is not None,
    "run_id": lambda v: _is_text(v, 100),
    "tool_version": lambda v: _is_text(v, 100),
}


def _clean_graded_in(data: dict[str, Any], bad: list[str]) -> dict[str, str] | None:
    """Where the report says it was made: a CI run (the checked fields) or None, for a
    report a learner made (or an older report without the field).

    Every field must be present and valid; otherwise the whole claim is dropped, named
    in ``bad``, and the report counts as self-reported. It stays a claim: a learner can
    write any JSON, so only a report the facilitator took from the CI run themselves
    is known to come from one.
    """
    raw = data.get("graded_in")
    if raw is None:
        return None
    if isinstance(raw, dict) and all(_GRADED_IN_CHECKS[key](raw.get(key))
                                     for key in GRADED_IN_KEYS):
        return {key: raw[key] for key in GRADED_IN_KEYS}
    bad.append("graded_in (the report counts as self-reported)")
    return None


def _check_usable(data: Any) -> None:
    """Raise :class:`Invalid` unless ``data`` is a report this version can read."""
    if not isinstance(data, dict) or data.get("schema") != REPORT_SCHEMA:
        raise Invalid("not an aisec learner report (made with 'aisec report --format json')")
    version = data.get("schema_version")
    if type(version) is not int or not 1 <= version <= MAX_VERSION:
        raise Invalid("its schema_version is not a valid version number; ask the learner to "
                      "make the report again with 'aisec report -o NAME.json'")
    if version > REPORT_VERSION:
        raise Invalid(f"report schema version {version} is newer than this aisec-tutor "
                      "reads; upgrade with 'pip install -U aisec-tutor'")
    if not isinstance(data.get("exercises"), list) or not isinstance(data.get("course"), dict):
        raise Invalid("the report is incomplete (no exercises or course)")


def _has_usable_id(raw: Any) -> bool:
    return isinstance(raw, dict) and isinstance(raw.get("id"), str) \
        and 0 < len(raw["id"]) <= ID_LIMIT


def _clean_exercises(entries: list[Any], bad: list[str]) -> tuple[list[dict[str, Any]], int, int]:
    """The usable exercise entries, cleaned; and how many were malformed or repeated."""
    exercises: list[dict[str, Any]] = []
    seen: set[str] = set()
    malformed = duplicates = 0
    for raw in entries:
        if not _has_usable_id(raw):
            malformed += 1
        elif raw["id"] in seen:
            duplicates += 1
        else:
            seen.add(raw["id"])
            exercises.append(_clean_exercise(raw, bad))
    return exercises, malformed, duplicates


def _entries(count: int, kind: str) -> str:
    """E.g. "1 repeated exercise entry", "2 repeated exercise entries"."""
    return f"{count} {kind} {'entry' if count == 1 else 'entries'}"


def _dropped_note(malformed: int, duplicates: int, bad: list[str],
                  beyond: int = 0) -> str | None:
    """What :func:`clean_report` left out, in a few words; None if nothing."""
    notes = []
    if beyond:
        notes.append(f"{_entries(beyond, 'exercise')} beyond the first {MAX_EXERCISES:,} dropped")
    if malformed:
        notes.append(f"{_entries(malformed, 'malformed exercise')} dropped")
    if duplicates:
        notes.append(f"{_entries(duplicates, 'repeated exercise')} dropped")
    if bad:
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        notes.append("invalid values dropped: " + ", ".join(bad[:5]) + more)
    return "; ".join(notes) or None


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the *.json files in it. A file named twice
    (``reports/ reports/ann.json``) is read once."""
    files: dict[Path, Path] = {}
    for path in paths:
        for file in sorted(path.glob("*.json")) if path.is_dir() else [path]:
            files.setdefault(_same_file_key(file), file)
    return list(files.values())


def _same_file_key(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link loop (RuntimeError before Python 3.13)
        return path.absolute()  # read as given: _read says what is wrong with it


def _read(path: Path) -> Any:
    """The JSON in ``path``; :class:`Invalid` with a reason for anything else."""
    try:
        raw = read_limited(path, REPORT_LIMIT)
    except FileNotFoundError:
        raise Invalid("no such file") from None
    except BadFile as exc:
        raise Invalid(str(exc).removeprefix("it is ")) from None
    except OSError as exc:
        raise Invalid(f"could not be read ({exc.strerror or type(exc).__name__})") from None
    if not raw.strip():
        raise Invalid("empty")
    try:
        return _loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Invalid("not readable JSON (not UTF-8 text)") from None
    except RecursionError:
        raise Invalid("not readable JSON (nested too deeply)") from None
    except ValueError as exc:  # JSONDecodeError, and numbers the parser refuses
        raise Invalid(f"not readable JSON ({exc})") from None


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while reports are read and summarised.

    Reading a thousand reports makes a million small lists and dicts, none in a cycle:
    the collector's passes over them find nothing (held off, summarising 1,000 reports
    took 0.17 s of CPU instead of 0.24). Only cycles wait (reference counting still
    frees the rest), and only until the block ends; nested or concurrent blocks leave
    the collector as the outermost found it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():  # nobody else froze objects: freezing is ours
                # what was made meanwhile goes straight to the oldest generation, whose
                # passes are rare, instead of being scanned at the next allocation (a
                # pass over every report read: 60 ms of a thousand reports' 0.4 s)
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _loads(text: str) -> Any:
    """JSON whose every number reads as :func:`bounded_int` reads it, at the parser's speed.

    bounded_int is a Python call per number: 30% of the time spent parsing reports.
    Where Python refuses integers over a few thousand digits (3.10.7 and later, unless
    the limit is turned off), the parser's own ints are used instead: such a number
    is a ValueError, and only then is the text read again with bounded_int. Integers
    of 31 digits up to the limit read as ints rather than as TOO_BIG; every check of
    a report refuses both alike (counts, seconds and versions all have a maximum).
    """
    if getattr(sys, "get_int_max_str_digits", lambda: 0)() > 0:
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise
        except ValueError:  # an integer over the digit limit
            pass
    return json.loads(text, parse_int=bounded_int)


def load_reports(paths: list[Path],
                 on_read: Callable[[int, int], None] | None = None) -> Loaded:
    """Every report among ``paths``, cleaned; ``on_read(done, total)`` after each file
    (a progress bar)."""
    loaded = Loaded()
    files = expand(paths)
    named: dict[str, list[str]] = {}
    with gc_paused():
        for number, path in enumerate(files, 1):
            if on_read is not None:
                on_read(number - 1, len(files))
            try:
                report, note = clean_report(_read(path))
            except Invalid as exc:
                loaded.skipped.append((str(path), str(exc)))
                continue
            if note:
                loaded.dropped.append((str(path), note))
            unnamed = f"learner {len(loaded.reports) + 1} ({path.name})"
            loaded.reports.append((report["name"] or unnamed, report))
            if report["name"]:
                named.setdefault(report["name"], []).append(str(path))
    loaded.same_name = [(name, files) for name, files in named.items() if len(files) > 1]
    return loaded
