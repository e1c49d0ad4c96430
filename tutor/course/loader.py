"""Read and validate the course manifest (``course.yaml``) into :mod:`tutor.course.model`.

Loading checks the whole structure and reports every problem at once as
``file:line: what is wrong — how to fix it``. Lesson bodies are parsed lazily
(see :mod:`tutor.course.lessons`) so that commands like ``check`` stay fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any, Protocol, TypeGuard

from tutor.course.layout import CoursePaths
from tutor.course.model import DEFAULT_TIMEOUT, Course, Exercise, LabSpec, LessonEntry, Track
from tutor.course.yamlfile import LineDict, YamlProblem, parse_yaml
from tutor.errors import ContentError, Problem, ProblemList, UsageError

FORMAT_VERSION = 1
LESSON_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EXERCISE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_TIMEOUT = 120.0
MIN_HINTS, MAX_HINTS = 2, 3
MAX_EXERCISE_MINUTES = 60  # an exercise longer than this should be split

COURSE_KEYS = {"format_version", "id", "title", "lessons", "description", "tracks"}
TRACK_KEYS = {"id", "title", "minutes", "description", "lessons", "exercises"}
LESSON_KEYS = {"id", "file", "exercises", "tags"}
EXERCISE_KEYS = {"id", "title", "file", "minutes", "timeout", "tags", "hints", "lab"}
LAB_KEYS = {"blocked", "useful"}


class TreeCache(Protocol):
    """Keeps the parsed YAML tree of a manifest's bytes (a workspace's cache, say)."""

    def get(self, manifest: bytes) -> Any | None: ...

    def put(self, manifest: bytes, tree: Any) -> None: ...


def load_course(root: Path, cache: TreeCache | None = None) -> Course:
    """Read and validate ``root/course.yaml``; raise :class:`ContentError` if broken.

    ``cache`` may hold the manifest's parsed tree, which spares parsing YAML; a tree
    from it is validated like a fresh one, and a fresh one that is valid is kept there.
    """
    paths = CoursePaths(root)
    if not paths.manifest.is_file():
        raise UsageError(
            f"{paths.manifest}: no course manifest here. Point --course at a directory "
            "that contains course.yaml (see docs/authoring.md)."
        )
    raw = paths.manifest.read_bytes()
    kept = cache.get(raw) if cache is not None else None
    if kept is not None:
        check = ProblemList(paths.manifest)
        course = _read_course(kept, root, check)
        if course is not None and not check.problems:
            return course
        # A kept tree only ever held a valid manifest: this one was tampered with.
    try:
        data = parse_yaml(raw.decode("utf-8"), paths.manifest)
    except UnicodeDecodeError:
        problem = Problem(paths.manifest, None, "not UTF-8 text", "save it as UTF-8")
        raise ContentError([problem]) from None
    except YamlProblem as exc:
        raise ContentError([exc.problem]) from None
    check = ProblemList(paths.manifest)
    course = _read_course(data, root, check)
    if check.problems or course is None:
        raise ContentError(check.problems)
    if cache is not None:
        cache.put(raw, data)
    return course


# -- what a value must be ---------------------------------------------------------------

def _is_whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_exercise_minutes(value: Any) -> bool:
    return _is_whole_number(value) and 1 <= value <= MAX_EXERCISE_MINUTES


def _is_track_minutes(value: Any) -> bool:
    return _is_whole_number(value) and value > 0


def _is_timeout(value: Any) -> bool:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return is_number and 0 < value <= MAX_TIMEOUT


def _is_tag_list(value: Any) -> bool:
    """No tags (absent, null, empty or any other false value), or a list of non-empty text."""
    return not value or (isinstance(value, list) and all(isinstance(t, str) and t for t in value))


def _is_hint_list(value: Any) -> bool:
    return (isinstance(value, list) and MIN_HINTS <= len(value) <= MAX_HINTS
            and all(isinstance(h, str) and h.strip() for h in value))


def _is_non_empty_list(value: Any) -> TypeGuard[list[Any]]:
    return isinstance(value, list) and bool(value)


def _checked(raw: LineDict, key: str, is_valid: Callable[[Any], bool], check: ProblemList, *,
             fallback: Any, what: str, fix: str = "", default: Any = None) -> Any:
    """``raw[key]`` (``default`` when absent) if valid; else the problem is named and
    ``fallback`` stands in, so reading goes on and every problem is reported at once."""
    value = raw.get(key, default)
    if is_valid(value):
        return value
    check.add(raw.line_of(key), what, fix)
    return fallback


def _optional_list(raw: LineDict, key: str, where: str, check: ProblemList,
                   default: list[Any]) -> list[Any]:
    """``raw[key]`` when it is a list; ``default`` when absent, null or (named) not a list."""
    value = raw.get(key)
    if value is None:
        return default
    if not isinstance(value, list):
        check.add(raw.line_of(key), f"'{key}' of {where} must be a list")
        return default
    return value


# -- the course ------------------------------------------------------------------------

def _read_course(data: Any, root: Path, check: ProblemList) -> Course | None:
    if not isinstance(data, LineDict):
        check.add(1, "the manifest must be a mapping with format_version, id, title and lessons")
        return None
    check.unknown_keys(data, COURSE_KEYS, "the course")
    _check_format_version(data, check)
    course_id = check.text(data, "id", "the course")
    title = check.text(data, "title", "the course")
    description = check.text(data, "description", "the course", required=False)
    raw_lessons = data.get("lessons")
    if not _is_non_empty_list(raw_lessons):
        check.add(data.line_of("lessons"), "'lessons' must be a non-empty list",
                  "list each lesson as '- id: ...' with its file")
        return None
    seen: dict[str, int] = {}  # lesson and exercise ids share one namespace
    lessons: list[LessonEntry] = []
    for raw in raw_lessons:
        lesson = _read_lesson(raw, root, check, seen, data.line_of("lessons"))
        if lesson is not None:
            lessons.append(lesson)
    tracks = _read_tracks(data, lessons, check)
    return Course(root=root, id=course_id, title=title, lessons=lessons, description=description,
                  tracks=tracks)


def _check_format_version(data: LineDict, check: ProblemList) -> None:
    version = data.get("format_version")
    line = data.line_of("format_version")
    if version is None:
        check.add(data.line, "no 'format_version'", f"add 'format_version: {FORMAT_VERSION}'")
    elif not _is_whole_number(version):
        check.add(line, "'format_version' must be a whole number")
    elif version > FORMAT_VERSION:
        check.add(line, f"format_version {version} is newer than this aisec-tutor understands "
                  f"({FORMAT_VERSION})", "upgrade: pip install -U aisec-tutor")
    elif version < 1:
        check.add(line, f"format_version must be {FORMAT_VERSION}")


# -- tracks ----------------------------------------------------------------------------

def _read_tracks(data: LineDict, lessons: list[LessonEntry], check: ProblemList) -> list[Track]:
    raw_tracks = data.get("tracks") or []
    if not isinstance(raw_tracks, list):
        check.add(data.line_of("tracks"), "'tracks' must be a list", "write '- id: ...'")
        return []
    by_id = {lesson.id: lesson for lesson in lessons}
    seen: dict[str, int] = {}
    tracks: list[Track] = []
    for raw in raw_tracks:
        if not isinstance(raw, LineDict):
            check.add(data.line_of("tracks"), f"a track must be a mapping, got {raw!r}")
            continue
        track = _read_track(raw, by_id, check, seen)
        if track is not None:
            tracks.append(track)
    return tracks


def _read_track(raw: LineDict, by_id: dict[str, LessonEntry], check: ProblemList,
                seen: dict[str, int]) -> Track | None:
    check.unknown_keys(raw, TRACK_KEYS, "a track")
    track_id = check.text(raw, "id", "a track")
    where = f"track '{track_id}'" if track_id else "a track"
    _unique(check, seen, track_id, raw.line_of("id"))
    title = check.text(raw, "title", where)
    description = check.text(raw, "description", where, required=False)
    minutes = _checked(raw, "minutes", _is_track_minutes, check, fallback=0,
                       what=f"{where} needs 'minutes' as a whole number",
                       fix="the time box, e.g. 'minutes: 90'")
    lesson_ids = _checked(raw, "lessons", _is_non_empty_list, check, fallback=[],
                          what=f"{where} needs a non-empty list of lesson ids")
    known = _known_lessons(raw, lesson_ids, by_id, where, check)
    available = [ex.id for lesson_id in known for ex in by_id[lesson_id].exercises]
    chosen = _chosen_exercises(raw, available, where, check)
    if not (track_id and title):
        return None
    return Track(id=track_id, title=title, minutes=minutes, lessons=tuple(known),
                 description=description,
                 exercises=tuple(ex_id for ex_id in available if ex_id in chosen))


def _known_lessons(raw: LineDict, lesson_ids: list[Any], by_id: dict[str, LessonEntry],
                   where: str, check: ProblemList) -> list[str]:
    """The track's lessons that the course has, naming each one it does not."""
    known = [lesson_id for lesson_id in lesson_ids
             if isinstance(lesson_id, str) and lesson_id in by_id]
    for lesson_id in lesson_ids:
        if lesson_id not in known:
            check.add(raw.line_of("lessons"), f"{where} names an unknown lesson "
                      f"'{lesson_id}'", "use ids from the 'lessons' list")
    return known


def _chosen_exercises(raw: LineDict, available: list[str], where: str,
                      check: ProblemList) -> list[Any]:
    """The exercises a track picks (all of its lessons' by default), naming strangers."""
    chosen = _optional_list(raw, "exercises", where, check, default=available)
    for ex_id in chosen:
        if ex_id not in available:
            check.add(raw.line_of("exercises"), f"{where} names '{ex_id}', which is not an "
                      "exercise of its lessons", "add its lesson to the track or drop it")
    return chosen


# -- lessons and exercises -------------------------------------------------------------

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
    file = _file(raw, check, ".md", where, root)
    exercises: list[Exercise] = []
    for raw_ex in _optional_list(raw, "exercises", where, check, default=[]):
        ex = _read_exercise(raw_ex, lesson_id, check, seen, raw.line_of("exercises"))
        if ex is not None:
            exercises.append(ex)
    # A lesson's own tags, for what it teaches beyond its exercises (a lesson may have none).
    tags = _checked(raw, "tags", _is_tag_list, check, fallback=[],
                    what=f"tags of {where} must be a list of text", fix="e.g. [ASI01]")
    if not lesson_id or not file:
        return None
    return LessonEntry(id=lesson_id, file=file, exercises=tuple(exercises), line=raw.line,
                       tags=tuple(tags or ()))


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
    file = _file(raw, check, ".py", where, None)
    minutes = _checked(
        raw, "minutes", _is_exercise_minutes, check, fallback=0,
        what=f"{where} needs 'minutes': a whole number from 1 to {MAX_EXERCISE_MINUTES}",
        fix="estimate the time for a learner who has read the lesson, e.g. 'minutes: 15'; "
            "split an exercise that needs longer")
    timeout = _checked(
        raw, "timeout", _is_timeout, check, default=DEFAULT_TIMEOUT, fallback=DEFAULT_TIMEOUT,
        what=f"timeout of {where} must be seconds between 1 and {MAX_TIMEOUT:g}",
        fix=f"e.g. 'timeout: {DEFAULT_TIMEOUT:g}'")
    tags = _checked(raw, "tags", _is_tag_list, check, fallback=[],
                    what=f"tags of {where} must be a list of text", fix="e.g. [LLM02]")
    hints = _checked(
        raw, "hints", _is_hint_list, check, fallback=[],
        what=f"{where} needs {MIN_HINTS} or {MAX_HINTS} hints as a list of text",
        fix="progress from a nudge to the approach to the key detail")
    lab = _read_lab(raw, where, check) if "lab" in raw else None
    if not (ex_id and title and file):
        return None
    return Exercise(id=ex_id, title=title, file=file, lesson_id=lesson_id, timeout=float(timeout),
                    tags=tuple(tags or ()), hints=tuple(h.strip() for h in hints), line=raw.line,
                    minutes=minutes, lab=lab)


def _is_share(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and 0 < value <= 1)


def _read_lab(raw: LineDict, where: str, check: ProblemList) -> LabSpec | None:
    """The ``lab:`` block of a defence lab: the two scores its defence must reach."""
    lab = raw["lab"]
    if not isinstance(lab, LineDict):
        check.add(raw.line_of("lab"), f"'lab' of {where} must be a mapping",
                  "e.g. 'lab: {blocked: 0.9, useful: 0.9}'")
        return None
    check.unknown_keys(lab, LAB_KEYS, f"the lab of {where}")
    shares = [_checked(lab, key, _is_share, check, fallback=None,
                       what=f"'{key}' of the lab of {where} must be a share above 0 and "
                            "at most 1", fix=f"e.g. '{key}: 0.9' (90%)")
              for key in ("blocked", "useful")]
    blocked, useful = shares
    if blocked is None or useful is None:
        return None
    return LabSpec(float(blocked), float(useful))


def _unique(check: ProblemList, seen: dict[str, int], item_id: str, line: int) -> None:
    if not item_id:
        return
    if item_id in seen:
        check.add(line, f"id '{item_id}' is used twice (first on line {seen[item_id]})",
                  "ids must be unique across lessons and exercises")
    else:
        seen[item_id] = line


def _file(raw: LineDict, check: ProblemList, suffix: str, where: str,
          root: Path | None) -> str:
    """The item's ``file``, validated (see :func:`_relative_file`); "" if missing or bad."""
    file = check.text(raw, "file", where)
    return _relative_file(check, raw.line_of("file"), file, suffix, where, root) if file else ""


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
