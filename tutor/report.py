"""A learner's progress report for a facilitator: JSON, CSV or Markdown.

What it contains is decided here, once: per exercise status, attempts, time to
pass, hints and solution use; quiz scores per lesson; course and tool version;
the name the learner typed (blank by default). What it never contains: code,
file contents, absolute paths, or anything about the machine.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from typing import Any

from tutor import __version__
from tutor.progress import now
from tutor.safe_text import json_for_terminal, safe_line
from tutor.workspace import Workspace

REPORT_SCHEMA = "aisec-report"
REPORT_VERSION = 1
FORMATS = ("json", "csv", "md")

EXERCISE_FIELDS = ("id", "lesson", "in_track", "status", "attempts", "attempts_to_pass",
                   "time_to_pass_s", "hints_revealed", "hints_total", "solution_viewed",
                   "solution_viewed_before_pass", "checks_passed", "checks_total")
LESSON_FIELDS = ("id", "in_track", "opened", "finished", "quiz_total", "quiz_answered",
                 "quiz_correct", "quiz_correct_first_try")


# -- learner-chosen text in Markdown and CSV -----------------------------------------------
#
# Names, ids and file names in a report are typed by a learner. In Markdown they must
# not become a link, an image, HTML, a code fence or an extra table cell; in CSV they
# must not become a spreadsheet formula. Both outputs are also printed to terminals,
# so control characters are shown (safe_line), never obeyed.

_WORD = r"[^\W_]+(?:[_'-][^\W_]+)*"  # letters and digits; _ ' - only between them
_PLAIN_NAME = re.compile(rf"{_WORD}(?: {_WORD})*")
_PLAIN_FILE = re.compile(rf"(?:{_WORD}/)*{_WORD}\.json")
NAME_LIMIT = 100  # characters of a learner's name kept in a class summary
SHOWN_LIMIT = 200  # characters shown of any learner-chosen text, once made safe


def md_code(text: str, table: bool = False, limit: int = SHOWN_LIMIT) -> str:
    """``text`` as a Markdown code span: literal, whatever it holds.

    The fence is one backtick longer than any run inside, so nothing closes it early;
    newlines are shown as ``\\n``; in a table ``|`` is escaped, which GFM honours even
    inside code spans.
    """
    text = safe_line(text, limit)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    if text.startswith("`") or text.endswith("`") or not text.strip():
        text = f" {text} "  # CommonMark strips one space each side again
    if table:
        text = text.replace("|", "\\|")
    return f"{fence}{text}{fence}"


def md_inline(text: str, table: bool = False, limit: int = SHOWN_LIMIT) -> str:
    """A learner-chosen name (or report file name) for Markdown prose.

    Ordinary names ("Chloé", "Jean-Luc O'Brien", "reports/ana.json") stay as they
    are; anything else (brackets, URLs, "www.", "@", HTML, emphasis...) goes into a
    code span, where nothing is a link, an image or HTML.
    """
    line = safe_line(text, limit)
    if (_PLAIN_NAME.fullmatch(line) or _PLAIN_FILE.fullmatch(line)) \
            and "www" not in line.lower():
        return line
    return md_code(text, table, limit)


_MD_ACTIVE = re.compile(r"([\\`*_\[\]<>|!&~#])")


def md_prose(text: str, limit: int = 200) -> str:
    """Course text (a title) for Markdown prose: every character that could start
    markup is backslash-escaped, so it reads the same rendered and raw."""
    return _MD_ACTIVE.sub(r"\\\1", safe_line(text, limit))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d",
                  "\uff20")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run (OWASP "CSV injection").

    Text starting with ``= + - @``, a tab or a carriage return (also after leading
    spaces, and their full-width forms) gets a leading ``'``, whether or not the CSV
    writer then quotes the field: quoting does not stop a spreadsheet. Numbers and
    booleans are left alone.
    """
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START) or value.lstrip(" ").startswith(_FORMULA_START):
        value = "'" + value
    return safe_line(value)


def _seconds_between(start: Any, end: Any) -> int | None:
    try:
        return int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds())
    except (TypeError, ValueError):
        return None


def build_report(workspace: Workspace, name: str = "") -> dict[str, Any]:
    from tutor.lessons import read_summary

    data = workspace.progress.load()
    course = workspace.course
    exercises = []
    for ex in course.exercises:
        record = data["exercises"].get(ex.id)
        record = record if isinstance(record, dict) else {}
        status = workspace.status(ex, data)
        exercises.append({
            "id": ex.id, "lesson": ex.lesson_id, "in_track": workspace.in_track(ex),
            "status": status.state, "attempts": status.attempts,
            "attempts_to_pass": record.get("attempts_to_pass"),
            "time_to_pass_s": _seconds_between(record.get("first_checked_at"),
                                               record.get("first_passed_at")),
            "hints_revealed": status.hints_revealed, "hints_total": len(ex.hints),
            "solution_viewed": status.solution_viewed,
            "solution_viewed_before_pass": bool(record.get("solution_viewed_before_pass")),
            "checks_passed": record.get("checks_passed"),
            "checks_total": record.get("checks_total"),
        })
    lessons = []
    for entry in course.lessons:
        record = data["lessons"].get(entry.id)
        record = record if isinstance(record, dict) else {}
        answers = [a for a in record.get("quiz", {}).values() if isinstance(a, dict)]
        try:
            quiz_total = read_summary(course.root / entry.file).quizzes
        except Exception:  # a broken lesson file must not stop the report
            quiz_total = 0
        lessons.append({
            "id": entry.id, "in_track": workspace.lesson_in_track(entry.id),
            "opened": bool(record.get("opened_at")), "finished": bool(record.get("finished_at")),
            "quiz_total": quiz_total, "quiz_answered": len(answers),
            "quiz_correct": sum(bool(a.get("correct")) for a in answers),
            "quiz_correct_first_try": sum(bool(a.get("first_correct")) for a in answers),
        })
    in_track = [e for e in exercises if e["in_track"]]
    return {
        "schema": REPORT_SCHEMA, "schema_version": REPORT_VERSION,
        "generated_at": now(), "name": name.strip(),
        "course": {"id": course.id, "title": course.title},
        "tool_version": __version__,
        "track": workspace.track.id if workspace.track else None,
        "summary": {
            "passed": sum(e["status"] == "passed" for e in exercises),
            "total": len(exercises),
            "track_passed": sum(e["status"] == "passed" for e in in_track),
            "track_total": len(in_track),
        },
        "exercises": exercises,
        "lessons": lessons,
    }


def to_csv(report: dict[str, Any]) -> str:
    """One row per exercise and per lesson; the learner and course on every row."""
    out = io.StringIO()
    columns = ["name", "course", "track", "kind", *dict.fromkeys(EXERCISE_FIELDS + LESSON_FIELDS)]
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    common = {"name": report["name"], "course": report["course"]["id"],
              "track": report["track"] or ""}
    for kind, rows in (("exercise", report["exercises"]), ("lesson", report["lessons"])):
        for row in rows:
            cells = {**common, "kind": kind, **{k: "" if v is None else v for k, v in row.items()}}
            writer.writerow({k: csv_cell(v) for k, v in cells.items()})
    return out.getvalue()


def to_markdown(report: dict[str, Any]) -> str:
    summary = report["summary"]
    who = md_inline(report["name"]) if report["name"] else "(no name given)"
    lines = [f"# Progress report: {who}", "",
             f"{md_prose(report['course']['title'])} — aisec-tutor "
             f"{report['tool_version']}, generated {report['generated_at']}.", ""]
    if report["track"]:
        lines.append(f"Track {md_code(report['track'])}: {summary['track_passed']} of "
                     f"{summary['track_total']} exercises passed.")
    lines += [f"Whole course: {summary['passed']} of {summary['total']} exercises passed.", "",
              "| Exercise | Status | Attempts | Time to pass | Hints | Solution viewed |",
              "| --- | --- | --- | --- | --- | --- |"]
    for ex in report["exercises"]:
        minutes = (f"{ex['time_to_pass_s'] / 60:.0f} min" if ex["time_to_pass_s"] is not None
                   else "")
        viewed = ("before passing" if ex["solution_viewed_before_pass"]
                  else "yes" if ex["solution_viewed"] else "")
        lines.append(f"| {md_code(ex['id'], table=True)} | {ex['status']} | {ex['attempts']} "
                     f"| {minutes} | "
                     f"{ex['hints_revealed']}/{ex['hints_total']} | {viewed} |")
    lines += ["", "| Lesson | Read | Quiz (right first try / questions) |", "| --- | --- | --- |"]
    for lesson in report["lessons"]:
        read = "finished" if lesson["finished"] else "opened" if lesson["opened"] else ""
        quiz = (f"{lesson['quiz_correct_first_try']}/{lesson['quiz_total']}"
                if lesson["quiz_answered"] else "")
        lines.append(f"| {md_code(lesson['id'], table=True)} | {read} | {quiz} |")
    return "\n".join(lines) + "\n"


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":  # exact data; bidi and C1 characters as JSON escapes
        return json_for_terminal(report) + "\n"
    if fmt == "csv":
        return to_csv(report)
    return to_markdown(report)
