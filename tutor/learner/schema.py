"""The stored form of a learner's progress: ``.aisec/progress.json``.

The raw JSON's shape (:class:`ProgressData` and friends), what each field must
be, how a file written by an older schema is brought up to date, and
:func:`clean`, which checks a file's data before anything else reads it. It
records what a learner did — lessons opened and finished, quiz answers,
attempts, first pass, hints revealed, solutions viewed — and never their code.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TypedDict, cast

from tutor.learner.state import State
from tutor.text.untrusted_json import BadFile, not_plain

SCHEMA_VERSION = 1
MAX_COUNT = 1_000_000  # attempts, hints, checks: nobody runs a check a million times
STATES = tuple(state.value for state in State)


class ExerciseData(TypedDict, total=False):
    attempts: int
    hints_revealed: int
    checks_passed: int
    checks_total: int
    attempts_to_pass: int
    solution_viewed: bool
    solution_viewed_before_pass: bool
    last_status: str
    first_checked_at: str
    last_checked_at: str
    first_passed_at: str
    solution_viewed_at: str
    first_hint_at: str
    last_checked_digest: str
    lab_blocked: list[int]  # a defence lab's last scores: [got, total]
    lab_useful: list[int]
    lab_attacks_through: list[str]  # the attacks that did harm in that grading


class AnswerData(TypedDict, total=False):
    attempts: int
    choice: int
    correct: bool
    first_correct: bool
    answered_at: str


class LessonData(TypedDict, total=False):
    opened_at: str
    finished_at: str
    quiz: dict[str, AnswerData]


class PlaceData(TypedDict, total=False):
    screen: str  # "lesson" or "exercise"
    id: str
    scroll: int  # lines scrolled down a lesson


class SettingsData(TypedDict, total=False):
    theme: str


class ProgressData(TypedDict, total=False):
    schema_version: int
    created_at: str
    updated_at: str
    current_exercise: str  # the exercise last worked on (checked, hinted, opened, reset)
    revisiting: bool  # current_exercise had passed and the learner came back to it
    place: PlaceData  # where the learner was in the app, for Continue
    settings: SettingsData
    lessons: dict[str, LessonData]
    exercises: dict[str, ExerciseData]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def empty() -> ProgressData:
    return {"schema_version": SCHEMA_VERSION, "created_at": now(), "lessons": {}, "exercises": {}}


# -- migrations ---------------------------------------------------------------------------------

# A migration turns data of schema N into schema N + 1; MIGRATIONS[N] is that step.
# Schema 1 is the first, so there is none yet. When the stored shape changes, bump
# SCHEMA_VERSION and add the step here: files written before are upgraded on load
# (and saved in the new shape on the next change), never rejected.
Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}


def migrate(data: dict[str, Any], migrations: Mapping[int, Migration] = MIGRATIONS,
            target: int = SCHEMA_VERSION) -> dict[str, Any]:
    """``data`` brought from its schema_version up to ``target``, one step at a time."""
    version = data["schema_version"]
    while version < target:
        step = migrations.get(version)
        if step is None:
            raise BadFile(f"it has schema {version}, which this aisec-tutor cannot upgrade")
        data = {**step(data), "schema_version": version + 1}
        version += 1
    return data


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


def _digest(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef"
                                                               for c in value)


MAX_CASES = 100  # attacks named in a lab record; a corpus is a few dozen cases
MAX_CASE_ID = 80


def is_score_pair(value: Any) -> bool:
    """[got, total] of a lab score: whole numbers, got at most total. (Written out, not
    :func:`_count` per item: it runs for every lab entry of every report in a class.)"""
    return (isinstance(value, list) and len(value) == 2 and type(value[0]) is int
            and type(value[1]) is int and 0 <= value[0] <= value[1] <= MAX_COUNT)


def is_case_ids(value: Any) -> bool:
    """The ids of a lab's cases (or "held out (kind)"): a short list of short text."""
    return (isinstance(value, list) and len(value) <= MAX_CASES
            and all(isinstance(v, str) and 0 < len(v) <= MAX_CASE_ID and v.isprintable()
                    for v in value))


def _choice(value: Any) -> bool:
    return type(value) is int and 0 <= value <= 1000


PLACE_SCREENS = ("lesson", "exercise")
MAX_ID = 200  # course ids are short words; a longer one is not ours


def _id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_ID and value.isprintable()


def _place(value: Any) -> bool:
    if not isinstance(value, dict) or set(value) - {"screen", "id", "scroll"}:
        return False
    scroll = value.get("scroll", 0)
    return (value.get("screen") in PLACE_SCREENS and _id(value.get("id"))
            and type(scroll) is int and 0 <= scroll <= MAX_COUNT)


def _settings(value: Any) -> bool:
    return (isinstance(value, dict) and set(value) <= {"theme"}
            and all(_id(v) for v in value.values()))


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
    "last_checked_digest": (_digest, "a SHA-256 digest in hex"),
    "lab_blocked": (is_score_pair, "[got, total], whole numbers with got <= total"),
    "lab_useful": (is_score_pair, "[got, total], whole numbers with got <= total"),
    "lab_attacks_through": (is_case_ids, f"a list of at most {MAX_CASES} case ids"),
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
    "current_exercise": (_id, "an exercise id"),
    "revisiting": (_flag, "true or false"),
    "place": (_place, 'a place: {"screen": "lesson" or "exercise", "id": ..., "scroll": n}'),
    "settings": (_settings, 'settings: {"theme": a theme name}'),
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
    data: ProgressData
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
    data = migrate(data)
    version = data["schema_version"]
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
    return Cleaned(cast(ProgressData, cleaned), out)


