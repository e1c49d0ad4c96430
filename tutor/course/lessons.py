"""Lessons: Markdown with YAML front matter and fenced ``quiz`` blocks.

A lesson is split into segments — Markdown text and quizzes, in reading order —
so the TUI can render quizzes as widgets and ``aisec lesson`` as plain text.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.course.yamlfile import LineDict, YamlProblem, parse_yaml
from tutor.errors import ContentError, Problem, ProblemList

FRONT_MATTER_KEYS = {"id", "title", "minutes", "last_checked", "objectives", "sources"}
QUIZ_KEYS = {"id", "question", "choices", "answer", "explanation"}
SOURCE_KEYS = {"title", "url"}


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class Quiz:
    id: str
    question: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    line: int = 0

    def is_correct(self, choice: int) -> bool:
        return choice == self.answer


@dataclass
class Lesson:
    id: str
    title: str
    minutes: int
    objectives: list[str]
    sources: list[Source]
    path: Path
    segments: list[str | Quiz] = field(default_factory=list)
    last_checked: dt.date | None = None  # when its facts were last checked against sources

    @property
    def quizzes(self) -> list[Quiz]:
        return [s for s in self.segments if isinstance(s, Quiz)]

    @property
    def markdown(self) -> str:
        """The lesson body without its quizzes."""
        return "\n".join(s for s in self.segments if isinstance(s, str))


def drop_title(markdown: str, title: str) -> str:
    """Drop a leading '# Title' that repeats the title shown from the front matter."""
    first, _, rest = markdown.partition("\n")
    repeats_title = first.startswith("# ") and first[2:].strip() == title
    return rest.lstrip("\n") if repeats_title else markdown


@functools.lru_cache(maxsize=64)
def sections(markdown: str) -> tuple[str, ...]:
    """The Markdown cut before each top-level heading, so a screen can show it a part at a time."""
    from markdown_it import MarkdownIt  # only when a lesson body is needed: start-up speed

    lines = markdown.splitlines(keepends=True)
    starts = [token.map[0] for token in MarkdownIt("commonmark").enable("table").parse(markdown)
              if token.type == "heading_open" and token.level == 0 and token.map is not None]
    cuts = [0, *(start for start in starts if start > 0), len(lines)]
    parts = ("".join(lines[a:b]).strip("\n") for a, b in itertools.pairwise(cuts))
    return tuple(part for part in parts if part)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line number where the body starts) or None."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return None


@dataclass(frozen=True)
class LessonSummary:
    """What a lesson list needs, read without parsing the Markdown body."""

    title: str
    minutes: int
    quizzes: int
    objectives: tuple[str, ...] = ()  # empty: none readable (home then points to verify)


QUIZ_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*quiz\s*$", re.MULTILINE)


def read_summary(path: Path) -> LessonSummary:
    """Title, minutes and number of quizzes; problems are left to :func:`load_lesson`."""
    try:
        split = split_front_matter(path.read_text(encoding="utf-8"))
        front = parse_yaml(split[0], path) if split else None
    except (OSError, UnicodeDecodeError, YamlProblem):
        front, split = None, None
    if not isinstance(front, dict) or split is None:
        raise ContentError([Problem(path, None, "the lesson could not be read",
                                    "run 'aisec verify-course' for details")])
    title, minutes = front.get("title"), front.get("minutes")
    title = title if isinstance(title, str) else path.stem
    minutes = minutes if isinstance(minutes, int) else 0
    objectives = front.get("objectives")
    if not isinstance(objectives, list) or not all(isinstance(o, str) for o in objectives):
        objectives = []
    return LessonSummary(title=title, minutes=minutes,
                         quizzes=len(QUIZ_FENCE.findall(split[1])),
                         objectives=tuple(objectives))


def load_lesson(path: Path, expected_id: str | None = None) -> Lesson:
    """Parse and validate one lesson; raise :class:`ContentError` with every problem."""
    front, body, body_line = _front_matter(path)
    problems = ProblemList(path)
    problems.unknown_keys(front, FRONT_MATTER_KEYS, "front matter")
    lesson_id = _lesson_id(front, expected_id, problems)
    title = problems.text(front, "title", "front matter")
    minutes = _minutes(front, problems)
    objectives = _objectives(front, problems)
    sources = _sources(front, problems)
    last_checked = _last_checked(front, problems)
    segments = _segments(body, body_line, path, problems)
    problems.raise_if_any()
    return Lesson(id=lesson_id, title=title, minutes=minutes, objectives=objectives,
                  sources=sources, path=path, segments=segments, last_checked=last_checked)


def _front_matter(path: Path) -> tuple[LineDict, str, int]:
    """(front matter, body, line where the body starts); a file that has none is fatal."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError([Problem(path, None, "lesson file is missing",
                                    "restore it or fix 'file' in course.yaml")]) from None
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(path, None, f"not UTF-8 text ({exc.reason})",
                                    "save the file as UTF-8")]) from None
    split = split_front_matter(text)
    if split is None:
        raise ContentError([Problem(path, 1, "no YAML front matter",
                                    "start the file with '---', the id/title/minutes/objectives/"
                                    "sources, and another '---'")])
    front_text, body, body_line = split
    try:
        front = parse_yaml(front_text, path, line_offset=1)
    except YamlProblem as exc:
        raise ContentError([exc.problem]) from None
    if not isinstance(front, LineDict):
        raise ContentError([Problem(path, 2, "front matter must be a YAML mapping")])
    return front, body, body_line


def _lesson_id(front: LineDict, expected_id: str | None, problems: ProblemList) -> str:
    lesson_id = problems.text(front, "id", "front matter")
    if expected_id and lesson_id and lesson_id != expected_id:
        problems.add(front.line_of("id"),
                     f"id '{lesson_id}' does not match the manifest's '{expected_id}'",
                     "make the two the same")
    return lesson_id


def _minutes(front: LineDict, problems: ProblemList) -> int:
    minutes = front.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 120:
        problems.add(front.line_of("minutes"), "'minutes' must be a whole number from 1 to 120",
                     "estimate the reading time, e.g. 'minutes: 15'")
        return 0
    return minutes


def _objectives(front: LineDict, problems: ProblemList) -> list[str]:
    objectives = front.get("objectives")
    if not isinstance(objectives, list) or not objectives or not all(
        isinstance(o, str) and o.strip() for o in objectives
    ):
        problems.add(front.line_of("objectives"), "'objectives' must be a non-empty list of text",
                     "say what the learner will be able to do; quote an item that contains ': '")
        return []
    return list(objectives)


def _last_checked(front: LineDict, problems: ProblemList) -> dt.date | None:
    """The date the lesson's facts were last checked; optional, but a real past date."""
    value = front.get("last_checked")
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        problems.add(front.line_of("last_checked"), "'last_checked' must be a date",
                     "write it as YYYY-MM-DD, e.g. 'last_checked: 2026-12-01'")
        return None
    if value > dt.date.today():
        problems.add(front.line_of("last_checked"), f"'last_checked' is in the future ({value})",
                     "use the day you checked the lesson's facts against its sources")
        return None
    return value


def _sources(front: LineDict, problems: ProblemList) -> list[Source]:
    raw = front.get("sources")
    if not isinstance(raw, list) or not raw:
        problems.add(front.line_of("sources"), "'sources' must be a non-empty list",
            "cite where the lesson's facts come from: '- title: ...' and 'url: https://...'")
        return []
    sources = []
    for item in raw:
        if not isinstance(item, LineDict):
            problems.add(front.line_of("sources"),
                         f"a source must be a mapping with title and url, got {item!r}")
            continue
        problems.unknown_keys(item, SOURCE_KEYS, "a source")
        title = problems.text(item, "title", "a source")
        url = problems.text(item, "url", "a source")
        if url and not url.startswith(("https://", "http://")):
            problems.add(item.line_of("url"), f"source url '{url}' is not a web address",
                "use a full https:// URL")
        if title and url:
            sources.append(Source(title=title, url=url))
    return sources


def _segments(body: str, body_line: int, path: Path, problems: ProblemList) -> list[str | Quiz]:
    """Split the body into Markdown text and quizzes, keeping reading order."""
    from markdown_it import MarkdownIt  # only when a lesson body is needed: start-up speed

    lines = body.splitlines(keepends=True)
    tokens = MarkdownIt("commonmark").parse(body)
    segments: list[str | Quiz] = []
    cursor = 0
    quiz_ids: dict[str, int] = {}
    for token in tokens:
        if token.type != "fence" or token.info.strip() != "quiz" or token.map is None:
            continue
        start, end = token.map
        text = "".join(lines[cursor:start]).strip("\n")
        if text:
            segments.append(text)
        cursor = end
        quiz = _quiz(token.content, body_line + start + 1, path, problems)
        if quiz is not None:
            if quiz.id in quiz_ids:
                problems.add(quiz.line, f"quiz id '{quiz.id}' is used twice (first on line "
                    f"{quiz_ids[quiz.id]})", "give each quiz its own id")
            quiz_ids.setdefault(quiz.id, quiz.line)
            segments.append(quiz)
    rest = "".join(lines[cursor:]).strip("\n")
    if rest:
        segments.append(rest)
    return segments


def _quiz(content: str, line: int, path: Path, problems: ProblemList) -> Quiz | None:
    try:
        data = parse_yaml(content, path, line_offset=line - 1)
    except YamlProblem as exc:
        problems.add(exc.problem.line, exc.problem.what, exc.problem.fix)
        return None
    if not isinstance(data, LineDict):
        problems.add(line, "a quiz block must be a YAML mapping",
                     "give it id, question, choices, answer and explanation")
        return None
    before = len(problems)
    problems.unknown_keys(data, QUIZ_KEYS, "a quiz")
    quiz_id = problems.text(data, "id", "a quiz")
    question = problems.text(data, "question", "a quiz")
    explanation = problems.text(data, "explanation", "a quiz")
    choices = _quiz_choices(data, problems)
    answer = _quiz_answer(data, choices, problems)
    if len(problems) != before:
        return None
    return Quiz(id=quiz_id, question=question, choices=tuple(str(c).strip() for c in choices),
                answer=answer, explanation=explanation, line=data.line)


def _quiz_choices(data: LineDict, problems: ProblemList) -> list[Any]:
    choices = data.get("choices")
    if not isinstance(choices, list) or len(choices) < 2 or not all(
        isinstance(c, (str, int, float)) and str(c).strip() for c in choices
    ):
        problems.add(data.line_of("choices"), "'choices' must be a list of at least two answers")
        return []
    return choices


def _quiz_answer(data: LineDict, choices: list[Any], problems: ProblemList) -> Any:
    """The index of the right choice, as written; named as a problem if it is not one."""
    answer = data.get("answer")
    if isinstance(answer, bool) or not isinstance(answer, int) or (
        choices and not 0 <= answer < len(choices)
    ):
        problems.add(data.line_of("answer"),
                     "'answer' must be the index of the right choice, from 0 to "
                     f"{max(len(choices) - 1, 0)}", "count choices from 0")
    return answer
