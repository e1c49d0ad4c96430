"""The course manifest (``course.yaml``): lessons in order, their exercises, hints.

Loading validates the whole structure and reports every problem at once as
``file:line: what is wrong — how to fix it``. Lesson bodies are parsed lazily
(see :mod:`tutor.course.lessons`) so that commands like ``check`` stay fast.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from tutor.course.layout import CoursePaths
from tutor.course.yamlfile import LineDict, YamlProblem, parse_yaml
from tutor.errors import ContentError, Problem, ProblemList, UsageError

FORMAT_VERSION = 1
LESSON_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EXERCISE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
DEFAULT_TIMEOUT = 10.0
MAX_TIMEOUT = 120.0
MIN_HINTS, MAX_HINTS = 2, 3
MAX_EXERCISE_MINUTES = 60  # an exercise longer than this should be split

COURSE_KEYS = {"format_version", "id", "title", "lessons", "description", "tracks"}
TRACK_KEYS = {"id", "title", "minutes", "description", "lessons", "exercises"}
LESSON_KEYS = {"id", "file", "exercises"}
EXERCISE_KEYS = {"id", "title", "file", "minutes", "timeout", "tags", "hints"}


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    file: str  # relative to exercises/, POSIX separators
    lesson_id: str
    timeout: float = DEFAULT_TIMEOUT
    tags: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    line: int = 0
    minutes: int = 0  # the author's estimate for a learner who has read the lesson


@dataclass(frozen=True)
class LessonEntry:
    id: str
    file: str  # relative to the course root
    exercises: tuple[Exercise, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Track:
    """A named subset of the course in order, with a time box (for workshops)."""

    id: str
    title: str
    minutes: int
    lessons: tuple[str, ...]
    exercises: tuple[str, ...]  # the exercises of those lessons that the track includes
    description: str = ""


@dataclass
class Course:
    root: Path
    id: str
    title: str
    lessons: list[LessonEntry]
    description: str = ""
    tracks: list[Track] = field(default_factory=list)
    paths: CoursePaths = field(init=False)

    def __post_init__(self) -> None:
        self.paths = CoursePaths(self.root)

    @property
    def exercises(self) -> list[Exercise]:
        return [ex for lesson in self.lessons for ex in lesson.exercises]

    def exercise(self, exercise_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        raise UsageError(_unknown("exercise", exercise_id, [e.id for e in self.exercises]))

    def lesson(self, lesson_id: str) -> LessonEntry:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise UsageError(_unknown("lesson", lesson_id, [les.id for les in self.lessons]))

    def track(self, track_id: str) -> Track:
        for track in self.tracks:
            if track.id == track_id:
                return track
        names = ", ".join(t.id for t in self.tracks) or "none"
        raise UsageError(f"There is no track '{track_id}'. Tracks in this course: {names}.")


def _unknown(kind: str, wanted: str, known: list[str]) -> str:
    close = difflib.get_close_matches(wanted, known, n=1)
    suggestion = f" Did you mean '{close[0]}'?" if close else ""
    return f"There is no {kind} '{wanted}'.{suggestion} Run 'aisec list' to see them all."


def load_course(root: Path) -> Course:
    """Read and validate ``root/course.yaml``; raise :class:`ContentError` if broken."""
    paths = CoursePaths(root)
    if not paths.manifest.is_file():
        raise UsageError(
            f"{paths.manifest}: no course manifest here. Point --course at a directory "
            "that contains course.yaml (see docs/authoring.md)."
        )
    try:
        text = paths.manifest.read_text(encoding="utf-8")
        data = parse_yaml(text, paths.manifest)
    except UnicodeDecodeError:
        problem = Problem(paths.manifest, None, "not UTF-8 text", "save it as UTF-8")
        raise ContentError([problem]) from None
    except YamlProblem as exc:
        raise ContentError([exc.problem]) from None
    check = ProblemList(paths.manifest)
    course = _read_course(data, root, check)
    if check.problems or course is None:
        raise ContentError(check.problems)
    return course


def _read_course(data: Any, root: Path, check: ProblemList) -> Course | None:
    if not isinstance(data, LineDict):
        check.add(1, "the manifest must be a mapping with format_version, id, title and lessons")
        return None
    check.unknown_keys(data, COURSE_KEYS, "the course")
    version = data.get("format_version")
    if version is None:
        check.add(data.line, "no 'format_version'", f"add 'format_version: {FORMAT_VERSION}'")
    elif not isinstance(version, int) or isinstance(version, bool):
        check.add(data.line_of("format_version"), "'format_version' must be a whole number")
    elif version > FORMAT_VERSION:
        check.add(data.line_of("format_version"),
                  f"format_version {version} is newer than this aisec-tutor understands "
                  f"({FORMAT_VERSION})", "upgrade: pip install -U aisec-tutor")
    elif version < 1:
        check.add(data.line_of("format_version"), f"format_version must be {FORMAT_VERSION}")
    course_id = check.text(data, "id", "the course")
    title = check.text(data, "title", "the course")
    description = check.text(data, "description", "the course", required=False)
    raw_lessons = data.get("lessons")
    if not isinstance(raw_lessons, list) or not raw_lessons:
        check.add(data.line_of("lessons"), "'lessons' must be a non-empty list",
                  "list each lesson as '- id: ...' with its file")
        return None
    lessons: list[LessonEntry] = []
    seen: dict[str, int] = {}
    for raw in raw_lessons:
        lesson = _read_lesson(raw, root, check, seen, data.line_of("lessons"))
        if lesson is not None:
            lessons.append(lesson)
    tracks = _read_tracks(data, lessons, check)
    return Course(root=root, id=course_id, title=title, lessons=lessons, description=description,
                  tracks=tracks)


def _read_tracks(data: LineDict, lessons: list[LessonEntry], check: ProblemList) -> list[Track]:
    raw_tracks = data.get("tracks") or []
    if not isinstance(raw_tracks, list):
        check.add(data.line_of("tracks"), "'tracks' must be a list", "write '- id: ...'")
        return []
    by_id = {lesson.id: lesson for lesson in lessons}
    tracks: list[Track] = []
    seen: dict[str, int] = {}
    for raw in raw_tracks:
        if not isinstance(raw, LineDict):
            check.add(data.line_of("tracks"), f"a track must be a mapping, got {raw!r}")
            continue
        check.unknown_keys(raw, TRACK_KEYS, "a track")
        track_id = check.text(raw, "id", "a track")
        where = f"track '{track_id}'" if track_id else "a track"
        _unique(check, seen, track_id, raw.line_of("id"))
        title = check.text(raw, "title", where)
        description = check.text(raw, "description", where, required=False)
        minutes = raw.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
            check.add(raw.line_of("minutes"), f"{where} needs 'minutes' as a whole number",
                      "the time box, e.g. 'minutes: 90'")
            minutes = 0
        lesson_ids = raw.get("lessons")
        if not isinstance(lesson_ids, list) or not lesson_ids:
            check.add(raw.line_of("lessons"), f"{where} needs a non-empty list of lesson ids")
            lesson_ids = []
        for lesson_id in lesson_ids:
            if lesson_id not in by_id:
                check.add(raw.line_of("lessons"), f"{where} names an unknown lesson "
                          f"'{lesson_id}'", "use ids from the 'lessons' list")
        known = [lid for lid in lesson_ids if lid in by_id]
        available = [ex.id for lid in known for ex in by_id[lid].exercises]
        chosen = raw.get("exercises")
        if chosen is None:
            chosen = available
        elif not isinstance(chosen, list):
            check.add(raw.line_of("exercises"), f"'exercises' of {where} must be a list")
            chosen = available
        for ex_id in chosen:
            if ex_id not in available:
                check.add(raw.line_of("exercises"), f"{where} names '{ex_id}', which is not an "
                          "exercise of its lessons", "add its lesson to the track or drop it")
        if track_id and title:
            tracks.append(Track(id=track_id, title=title, minutes=minutes,
                                lessons=tuple(known), description=description,
                                exercises=tuple(e for e in available if e in chosen)))
    return tracks


def _read_lesson(raw: Any, root: Path, check: ProblemList, seen: dict[str, int],
                 parent_line: int) -> LessonEntry | None:
    if not isinstance(raw, LineDict):
        check.add(parent_line, f"a lesson must be a mapping, got {raw!r}", "write '- id: ...'")
        return None
    check.unknown_keys(raw, LESSON_KEYS, "a lesson")
    lesson_id = check.text(raw, "id", "a lesson")
    where = f"lesson '{lesson_id}'" if lesson_id else "a lesson"
    if lesson_id and not LESSON_ID.match(lesson_id):
        check.add(raw.line_of("id"),
                  f"lesson id '{lesson_id}' is not lowercase words joined by '-'",
                  "use e.g. 'pii-redaction'")
    _unique(check, seen, lesson_id, raw.line_of("id"))
    file = check.text(raw, "file", where)
    if file:
        file = _relative_file(check, raw.line_of("file"), file, ".md", where, root)
    exercises: list[Exercise] = []
    raw_exercises = raw.get("exercises", [])
    if raw_exercises is None:
        raw_exercises = []
    if not isinstance(raw_exercises, list):
        check.add(raw.line_of("exercises"), f"'exercises' of {where} must be a list")
        raw_exercises = []
    for raw_ex in raw_exercises:
        ex = _read_exercise(raw_ex, lesson_id, check, seen, raw.line_of("exercises"))
        if ex is not None:
            exercises.append(ex)
    if not lesson_id or not file:
        return None
    return LessonEntry(id=lesson_id, file=file, exercises=tuple(exercises), line=raw.line)


def _read_exercise(raw: Any, lesson_id: str, check: ProblemList, seen: dict[str, int],
                   parent_line: int) -> Exercise | None:
    if not isinstance(raw, LineDict):
        check.add(parent_line, f"an exercise must be a mapping, got {raw!r}", "write '- id: ...'")
        return None
    check.unknown_keys(raw, EXERCISE_KEYS, "an exercise")
    ex_id = check.text(raw, "id", "an exercise")
    where = f"exercise '{ex_id}'" if ex_id else "an exercise"
    if ex_id and not EXERCISE_ID.match(ex_id):
        check.add(raw.line_of("id"), f"exercise id '{ex_id}' is not a lowercase Python identifier",
                  "use e.g. 'luhn' or 'redacting_filter'; it names the solution and check files")
    _unique(check, seen, ex_id, raw.line_of("id"))
    title = check.text(raw, "title", where)
    file = check.text(raw, "file", where)
    if file:
        file = _relative_file(check, raw.line_of("file"), file, ".py", where, None)
    minutes = raw.get("minutes")
    if (isinstance(minutes, bool) or not isinstance(minutes, int)
            or not 1 <= minutes <= MAX_EXERCISE_MINUTES):
        check.add(raw.line_of("minutes") if "minutes" in raw else raw.line,
                  f"{where} needs 'minutes': a whole number from 1 to {MAX_EXERCISE_MINUTES}",
                  "estimate the time for a learner who has read the lesson, e.g. "
                  "'minutes: 15'; split an exercise that needs longer")
        minutes = 0
    timeout = raw.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not (
        0 < timeout <= MAX_TIMEOUT
    ):
        check.add(raw.line_of("timeout"), f"timeout of {where} must be seconds between 1 and "
                  f"{MAX_TIMEOUT:g}", f"e.g. 'timeout: {DEFAULT_TIMEOUT:g}'")
        timeout = DEFAULT_TIMEOUT
    tags = raw.get("tags", []) or []
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        check.add(raw.line_of("tags"), f"tags of {where} must be a list of text", "e.g. [LLM02]")
        tags = []
    hints = raw.get("hints")
    if (not isinstance(hints, list) or not all(isinstance(h, str) and h.strip() for h in hints)
            or not MIN_HINTS <= len(hints) <= MAX_HINTS):
        check.add(raw.line_of("hints"), f"{where} needs {MIN_HINTS} or {MAX_HINTS} hints as a list "
                  "of text", "progress from a nudge to the approach to the key detail")
        hints = []
    if not (ex_id and title and file):
        return None
    return Exercise(id=ex_id, title=title, file=file, lesson_id=lesson_id, timeout=float(timeout),
                    tags=tuple(tags), hints=tuple(h.strip() for h in hints), line=raw.line,
                    minutes=minutes)


def _unique(check: ProblemList, seen: dict[str, int], item_id: str, line: int) -> None:
    if not item_id:
        return
    if item_id in seen:
        check.add(line, f"id '{item_id}' is used twice (first on line {seen[item_id]})",
                  "ids must be unique across lessons and exercises")
    else:
        seen[item_id] = line


def _relative_file(check: ProblemList, line: int, file: str, suffix: str, where: str,
                   root: Path | None) -> str:
    """Validate a manifest path: relative, POSIX, inside the course, right suffix."""
    pure = PurePosixPath(file)
    if pure.is_absolute() or ".." in pure.parts or "\\" in file:
        check.add(line, f"file of {where} must be a relative path inside the course",
                  "use forward slashes and no '..'")
        return ""
    if pure.suffix != suffix:
        check.add(line, f"file of {where} must end in {suffix}")
        return ""
    if root is not None and not (root / pure).is_file():
        check.add(line, f"{where} points at {file}, which does not exist",
                  "create it or fix the path")
    return str(pure)
