"""What a course listing shows, without parsing Markdown or check files each time.

``aisec list`` needs each lesson's title, minutes and number of quizzes and each
exercise's number of required checks. Working them out parses every lesson's
Markdown and compiles every check file: most of the command's time. The
:class:`CourseIndex` is worked out once and kept in the workspace
(``.aisec/cache/course-index.json``), keyed by a SHA-256 of the name and bytes
of every file it was worked out from. An edit to any of them changes the key, so
a stale index is never used; a cache that cannot be read or written is simply
worked out again.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.course.lessons import LessonSummary, load_lesson
from tutor.course.model import Course
from tutor.errors import ContentError
from tutor.text.atomic_write import write_json_atomic
from tutor.text.untrusted_json import read_keyed

FORMAT = 2  # bump when what the index holds, or how it is worked out, changes
FILE_NAME = "course-index.json"
MAX_BYTES = 1024 * 1024
MAX_TITLE = 300
MAX_OBJECTIVE = 1000
MAX_OBJECTIVES = 50
MAX_COUNT = 100_000


@dataclass(frozen=True)
class CourseIndex:
    lessons: dict[str, LessonSummary]
    required_checks: dict[str, int]  # exercise id -> checks to pass (0: broken check file)


def source_files(course: Course) -> list[Path]:
    """Every file the index is worked out from: course.yaml, lessons, check files."""
    files = [course.root / "course.yaml"]
    files += [course.root / entry.file for entry in course.lessons]
    files += [course.paths.check_file(ex.id) for ex in course.exercises]
    return files


def content_key(course: Course) -> str:
    """SHA-256 over each source file's path and bytes (a missing file counts too)."""
    digest = hashlib.sha256(f"aisec course index {FORMAT}\n".encode())
    for path in source_files(course):
        digest.update(str(path.relative_to(course.root)).encode("utf-8", "surrogateescape"))
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0missing"
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def build(course: Course) -> CourseIndex:
    """The index worked out from the files themselves (the parser decides, not a regex)."""
    from tutor.grader.checks import list_checks  # ast: only when the cache cannot answer

    lessons: dict[str, LessonSummary] = {}
    for entry in course.lessons:
        lesson = load_lesson(course.root / entry.file, entry.id)
        lessons[entry.id] = LessonSummary(lesson.title, lesson.minutes, len(lesson.quizzes),
                                          tuple(lesson.objectives))
    required: dict[str, int] = {}
    for ex in course.exercises:
        try:
            required[ex.id] = sum(not c.optional for c in list_checks(
                course.paths.check_file(ex.id)))
        except ContentError:
            required[ex.id] = 0
    return CourseIndex(lessons, required)


def cached_index(course: Course, cache_dir: Path) -> CourseIndex | None:
    """The index kept in ``cache_dir`` if it is up to date; never works it out (the TUI
    starts with it, and falls back on reading each lesson's front matter)."""
    return _read(cache_dir / FILE_NAME, content_key(course), course)


def course_index(course: Course, cache_dir: Path | None) -> CourseIndex:
    """The course's index: from ``cache_dir`` when its key matches, else worked out
    (and kept there for next time). ``cache_dir`` None: no cache (no workspace)."""
    if cache_dir is None:
        return build(course)
    key = content_key(course)  # hashes every course file: once
    cached = _read(cache_dir / FILE_NAME, key, course)
    if cached is not None:
        return cached
    index = build(course)
    _write(cache_dir / FILE_NAME, key, index)
    return index


def _read(path: Path, key: str, course: Course) -> CourseIndex | None:
    data = read_keyed(path, key, MAX_BYTES)
    return _parsed(data, course) if data is not None else None


def _parsed(data: dict[str, Any], course: Course) -> CourseIndex | None:
    """The index in ``data`` if it is whole and well-typed for this course, else None."""
    lessons, checks = data.get("lessons"), data.get("required_checks")
    if not isinstance(lessons, dict) or not isinstance(checks, dict):
        return None
    summaries: dict[str, LessonSummary] = {}
    for entry in course.lessons:
        item = lessons.get(entry.id)
        if not (isinstance(item, list) and len(item) == 4 and _plain_title(item[0])
                and all(type(n) is int and 0 <= n <= MAX_COUNT for n in item[1:3])
                and _objectives(item[3])):
            return None
        summaries[entry.id] = LessonSummary(item[0], item[1], item[2], tuple(item[3]))
    required: dict[str, int] = {}
    for ex in course.exercises:
        count = checks.get(ex.id)
        if type(count) is not int or not 0 <= count <= MAX_COUNT:
            return None
        required[ex.id] = count
    return CourseIndex(summaries, required)


def _plain_title(value: Any) -> bool:
    """A title as a course writes one. The cache file sits in the workspace, where
    anyone who can write it could put escape sequences into the listing: fail closed."""
    return isinstance(value, str) and 0 < len(value) <= MAX_TITLE and value.isprintable()


def _objectives(value: Any) -> bool:
    return (isinstance(value, list) and len(value) <= MAX_OBJECTIVES
            and all(isinstance(o, str) and len(o) <= MAX_OBJECTIVE and o.isprintable()
                    for o in value))


def _write(path: Path, key: str, index: CourseIndex) -> None:
    data = {"key": key,
            "lessons": {lesson_id: [s.title, s.minutes, s.quizzes, list(s.objectives)]
                        for lesson_id, s in index.lessons.items()},
            "required_checks": index.required_checks}
    with contextlib.suppress(OSError):  # a read-only workspace: right, only not kept
        write_json_atomic(path, data)
