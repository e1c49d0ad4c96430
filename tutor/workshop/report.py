"""A learner's progress report for a facilitator: JSON, CSV or Markdown.

What it contains is decided here, once: per exercise status, attempts, time to
pass, hints and solution use; quiz scores per lesson; course and tool version;
the name the learner typed (blank by default). What it never contains: code,
file contents, absolute paths, or anything about the machine.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tutor import __version__
from tutor.learner.schema import now
from tutor.learner.state import LabRecord
from tutor.text.export import csv_cell, md_code, md_inline, md_prose
from tutor.text.safe import json_for_terminal

if TYPE_CHECKING:  # only a type here: `aisec class` reads reports without the workspace's
    # imports (labs, the fake Ollama server), which would double its start-up time
    from tutor.learner.workspace import Workspace

REPORT_SCHEMA = "aisec-report"
REPORT_VERSION = 1

EXERCISE_FIELDS = ("id", "lesson", "in_track", "status", "attempts", "attempts_to_pass",
                   "time_to_pass_s", "hints_revealed", "hints_total", "solution_viewed",
                   "solution_viewed_before_pass", "checks_passed", "checks_total",
                   "lab_blocked", "lab_useful", "lab_attacks_through")
LESSON_FIELDS = ("id", "in_track", "opened", "finished", "quiz_total", "quiz_answered",
                 "quiz_correct", "quiz_correct_first_try")
NAME_LIMIT = 100  # characters of a learner's name kept in a class summary


def _seconds_between(start: Any, end: Any) -> int | None:
    try:
        return int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds())
    except (TypeError, ValueError):
        return None


def _lab_fields(lab: LabRecord | None) -> dict[str, Any]:
    """A defence lab's last scores as [got, total] (null for an exercise or before a
    grading), and the attacks that did harm in it."""
    return lab.fields() if lab is not None else LabRecord().fields()


def _csv_value(value: Any) -> Any:
    """A report value as one CSV cell: a score as "got/total", a list joined."""
    if value is None:
        return ""
    if isinstance(value, list):
        if len(value) == 2 and all(type(n) is int for n in value):
            return f"{value[0]}/{value[1]}"
        return "; ".join(str(v) for v in value)
    return value


def build_report(workspace: Workspace, name: str = "",
                 graded_in: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report of ``workspace``'s progress. ``graded_in`` describes the CI run that
    graded it (:mod:`tutor.workshop.ci_env`); None, the default, for a report a learner
    made."""
    from tutor.course.lessons import read_summary

    state = workspace.state()
    course = workspace.course
    exercises = []
    for ex in course.exercises:
        status = state.exercise(ex.id)
        exercises.append({
            "id": ex.id, "lesson": ex.lesson_id, "in_track": workspace.in_track(ex),
            "status": status.state.value, "attempts": status.attempts,
            "attempts_to_pass": status.attempts_to_pass,
            "time_to_pass_s": _seconds_between(status.first_checked_at, status.first_passed_at),
            "hints_revealed": status.hints_revealed, "hints_total": len(ex.hints),
            "solution_viewed": status.solution_viewed,
            "solution_viewed_before_pass": status.solution_viewed_before_pass,
            "checks_passed": status.checks_passed,
            "checks_total": status.checks_total,
            **_lab_fields(status.lab),
        })
    lessons = []
    for entry in course.lessons:
        lesson = state.lesson(entry.id)
        answers = list(lesson.quiz.values())
        try:
            quiz_total = read_summary(course.root / entry.file).quizzes
        except Exception:  # a broken lesson file must not stop the report
            quiz_total = 0
        lessons.append({
            "id": entry.id, "in_track": workspace.lesson_in_track(entry.id),
            "opened": lesson.opened, "finished": lesson.finished,
            "quiz_total": quiz_total, "quiz_answered": len(answers),
            "quiz_correct": sum(a.correct for a in answers),
            "quiz_correct_first_try": sum(a.first_correct is True for a in answers),
        })
    in_track = [e for e in exercises if e["in_track"]]
    return {
        "schema": REPORT_SCHEMA, "schema_version": REPORT_VERSION,
        "generated_at": now(), "name": name.strip(),
        "course": {"id": course.id, "title": course.title},
        "tool_version": __version__,
        "track": workspace.track.id if workspace.track else None,
        "graded_in": graded_in,
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
            cells = {**common, "kind": kind, **{k: _csv_value(v) for k, v in row.items()}}
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
              "| Exercise | Status | Attempts | Time to pass | Hints | Solution viewed | "
              "Lab scores |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for ex in report["exercises"]:
        minutes = (f"{ex['time_to_pass_s'] / 60:.0f} min" if ex["time_to_pass_s"] is not None
                   else "")
        viewed = ("before passing" if ex["solution_viewed_before_pass"]
                  else "yes" if ex["solution_viewed"] else "")
        lines.append(f"| {md_code(ex['id'], table=True)} | {ex['status']} | {ex['attempts']} "
                     f"| {minutes} | "
                     f"{ex['hints_revealed']}/{ex['hints_total']} | {viewed} | "
                     f"{_lab_cell(ex)} |")
    lines += ["", "| Lesson | Read | Quiz (right first try / questions) |", "| --- | --- | --- |"]
    for lesson in report["lessons"]:
        read = "finished" if lesson["finished"] else "opened" if lesson["opened"] else ""
        quiz = (f"{lesson['quiz_correct_first_try']}/{lesson['quiz_total']}"
                if lesson["quiz_answered"] else "")
        lines.append(f"| {md_code(lesson['id'], table=True)} | {read} | {quiz} |")
    return "\n".join(lines) + "\n"


def _lab_cell(ex: dict[str, Any]) -> str:
    lab = LabRecord.from_record(ex)  # the entry has the progress record's lab fields
    return lab.summary() if lab is not None else ""


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":  # exact data; bidi and C1 characters as JSON escapes
        return json_for_terminal(report) + "\n"
    if fmt == "csv":
        return to_csv(report)
    return to_markdown(report)
