"""The Markdown job summary of a CI grading (``aisec ci grade``).

GitHub shows it on the run's page (``$GITHUB_STEP_SUMMARY``); elsewhere it is a
file to keep as an artifact. Check messages come from the learner's code and every
value from the environment could be anything, so all of it is escaped
(:mod:`tutor.text.export`): nothing in it becomes a link, an image, HTML or a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tutor.grader.result import CheckResult, GradeResult
from tutor.text.export import md_code, md_prose

MESSAGE_LIMIT = 200  # characters of the first failing check's message in the table
MARKS = {"passed": "✅ passed", "failed": "❌ failed", "error": "⚠️ error",
         "timeout": "⏱️ timeout"}


@dataclass(frozen=True)
class SummaryContext:
    """What the summary says besides the results."""

    tool_version: str
    course_title: str
    track: str | None
    graded_in: dict[str, Any] | None
    ignored: tuple[str, ...] = ()  # sentences about what in the clone was left alone


def first_failure(result: GradeResult) -> CheckResult | None:
    """The first check that did not pass (skipped optional checks do not count)."""
    return next((c for c in result.checks if c.outcome in ("failed", "error")), None)


def failure_text(result: GradeResult, whole: bool = False) -> str:
    """What fails first, in words: the check's title and its message's first line (or
    all of it, ``whole``)."""
    check = first_failure(result)
    if check is None:
        message, title = ("" if result.passed else result.message), ""
    else:
        message = check.message if check.ran else (result.message or check.message)
        title = f"{check.title}: "
    message = message.strip()
    return title + (message if whole else message.split("\n", 1)[0])


def _where(context: SummaryContext) -> str:
    ci = context.graded_in
    if not ci:
        return "Not in a CI run we recognise (no GitHub Actions or GitLab CI variables)."
    parts = [f"{md_prose(str(ci.get('provider', '')))} run {md_code(str(ci.get('run_id', '')))}"]
    if ci.get("commit"):
        parts.append(f"commit {md_code(str(ci['commit'])[:12])}")
    if ci.get("run_url"):
        parts.append(f"run page {md_code(str(ci['run_url']))}")
    return "Graded in " + ", ".join(parts) + "."


def to_markdown(results: Sequence[GradeResult], context: SummaryContext) -> str:
    passed = sum(r.passed for r in results)
    track = f", track {md_code(context.track)}" if context.track else ""
    lines = [f"## aisec-tutor: {passed} of {len(results)} exercises pass", "",
             f"Hidden checks of aisec-tutor {md_prose(context.tool_version)} "
             f"({md_prose(context.course_title)}{track}), graded from a fresh state. "
             f"{_where(context)}", "",
             "| Exercise | Result | Checks passed | What fails first |",
             "| --- | --- | --- | --- |"]
    for result in results:
        got, total = result.counts()
        why = md_prose(failure_text(result), MESSAGE_LIMIT)  # | is escaped too
        lines.append(f"| {md_code(result.exercise, table=True)} | "
                     f"{MARKS.get(result.status, result.status)} | {got}/{total} | {why} |")
    if context.ignored:
        lines += ["", "Left alone in the repository:", ""]
        lines += [f"- {md_prose(sentence, 300)}" for sentence in context.ignored]
    return "\n".join(lines) + "\n"
