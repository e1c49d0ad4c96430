"""Aggregate learners' JSON reports into a class summary for the facilitator.

Per exercise: how many learners passed (n / total and %), median attempts and
hints, how many are stuck (tried, not passed); per learner: who may need help.

Report files come from learners: :mod:`tutor.workshop.class_reports` reads and
checks them (its names are re-exported here). Learner-chosen text (names, ids,
file names) is escaped in the Markdown and CSV outputs (see :mod:`tutor.text.export`).
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from itertools import chain
from operator import itemgetter
from typing import Any

from tutor.text.export import csv_cell, md_code, md_inline
from tutor.text.safe import json_for_terminal, safe_line
from tutor.workshop.class_reports import (
    Invalid,
    Loaded,
    clean_report,
    gc_paused,
    load_reports,
    share,
    source,
)

__all__ = ["Invalid", "Loaded", "clean_report", "load_reports", "render", "summarise",
           "to_csv", "to_markdown"]

SUMMARY_SCHEMA = "aisec-class-summary"
STUCK_ATTEMPTS = 5  # this many check runs without a pass suggests a learner needs a hand


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _by_exercise(reports: list[tuple[str, dict[str, Any]]]
                 ) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Each exercise's (learner, entry) pairs, in the order exercises first appear; only
    exercises in someone's track or tried by someone, so optional extras nobody touched
    do not crowd the table."""
    by_exercise: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    relevant: set[str] = set()
    for label, report in reports:
        for entry in report["exercises"]:
            by_exercise.setdefault(entry["id"], []).append((label, entry))
            if entry["in_track"] or entry["attempts"] > 0:
                relevant.add(entry["id"])
    return {ex_id: rows for ex_id, rows in by_exercise.items() if ex_id in relevant}


def _exercise_summary(ex_id: str, rows: list[tuple[str, dict[str, Any]]],
                      learners: int) -> dict[str, Any]:
    """One exercise across the class: who passed, who tried, who is stuck (tried, not
    passed), medians; in one pass over its entries."""
    passed = viewed = 0
    stuck: list[str] = []
    attempts: list[float] = []  # of those who tried, and their hints
    hints: list[float] = []
    minutes: list[float] = []  # of those who passed and were timed
    for label, entry in rows:
        tries = entry["attempts"]
        if tries > 0:
            attempts.append(float(tries))
            hints.append(float(entry["hints_revealed"]))
        if entry["status"] == "passed":
            passed += 1
            if entry["time_to_pass_s"] is not None:
                minutes.append(entry["time_to_pass_s"] / 60)
        elif tries > 0:
            stuck.append(label)
        viewed += entry["solution_viewed_before_pass"]
    return {
        "id": ex_id, "passed": passed, "learners": learners,
        "percent": round(100 * passed / learners, 1) if learners else 0.0,
        "tried": len(attempts), "stuck": len(stuck), "stuck_learners": stuck,
        "median_attempts": _median(attempts), "median_hints": _median(hints),
        "median_minutes_to_pass": _median(minutes), "solutions_viewed_before_pass": viewed,
        **_lab_summary([entry for _, entry in rows]),
    }


def _shares(pairs: list[list[int] | None]) -> list[float]:
    """[got, total] pairs as percentages; none for a missing pair or a total of 0."""
    return [p for p in map(share, pairs) if p is not None]


def _lab_summary(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """A defence lab across the class: median scores (percent) of the learners graded,
    and the attacks that got through for the most learners. Nothing for an exercise."""
    scored = [e for e in entries if e["lab_blocked"] is not None or e["lab_useful"] is not None]
    if not scored:
        return {}
    # each learner counts once per attack; counted in C, not one Python step per attack
    through = Counter(chain.from_iterable(map(set, map(itemgetter("lab_attacks_through"),
                                                       scored))))
    return {"lab": {
        "learners_scored": len(scored),
        "median_blocked_percent": _median(_shares([e["lab_blocked"] for e in scored])),
        "median_useful_percent": _median(_shares([e["lab_useful"] for e in scored])),
        "attacks_through": [{"attack": case, "learners": n}
                            for case, n in sorted(through.items(),
                                                  key=lambda item: (-item[1], item[0]))[:5]],
    }}


def _learner_summary(label: str, report: dict[str, Any]) -> dict[str, Any]:
    """One learner: how far they got, and where they may need a hand (stuck: tried, not
    passed; many attempts: stuck after STUCK_ATTEMPTS check runs or more)."""
    entries = report["exercises"]
    passed = 0
    stuck: list[str] = []
    many: list[str] = []
    for entry in entries:
        if entry["status"] == "passed":
            passed += 1
        elif entry["attempts"] > 0:
            stuck.append(entry["id"])
            if entry["attempts"] >= STUCK_ATTEMPTS:
                many.append(entry["id"])
    graded_in = report.get("graded_in")
    track = report.get("track")
    in_track = [e for e in entries if e["in_track"]] if track else []
    return {"name": label, "passed": passed, "total": len(entries), "track": track,
            "track_passed": sum(e["status"] == "passed" for e in in_track) if track else None,
            "track_total": len(in_track) if track else None, "stuck_on": stuck,
            "may_need_help": bool(many), "many_attempts_on": many,
            "source": source(report), "graded_in": graded_in}


def summarise(loaded: Loaded) -> dict[str, Any]:
    """The summary of reports already checked by :func:`clean_report`."""
    with gc_paused():  # tens of thousands of entries, no cycles: see gc_paused
        return _summarise(loaded)


def _summarise(loaded: Loaded) -> dict[str, Any]:
    reports = loaded.reports
    total = len(reports)
    exercises = [_exercise_summary(ex_id, rows, total)
                 for ex_id, rows in _by_exercise(reports).items()]
    hardest = sorted((e for e in exercises if e["stuck"]), key=lambda e: (-e["stuck"], e["id"]))
    learners = [_learner_summary(label, report) for label, report in reports]
    from_ci = sum(learner["source"] == "ci" for learner in learners)
    return {
        "schema": SUMMARY_SCHEMA, "schema_version": 1, "learners": total,
        "courses": sorted({report["course"]["id"] for _, report in reports}),
        "exercises": exercises,
        "learner_summaries": learners,
        "most_stuck": [e["id"] for e in hardest[:5]],
        "skipped": [{"file": f, "reason": why} for f, why in loaded.skipped],
        "dropped": [{"file": f, "reason": why} for f, why in loaded.dropped],
        "same_name": [{"name": name, "files": files} for name, files in loaded.same_name],
        "from_ci": from_ci, "self_reported": total - from_ci,
    }


def _fmt(value: float | None, digits: int = 1) -> str:
    """A number without trailing zeros after the point: 2.0 -> "2", 2.5 -> "2.5", 10 -> "10"."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def to_markdown(summary: dict[str, Any]) -> str:
    courses = ", ".join(md_inline(c) for c in summary["courses"]) or "—"
    lines = ["# Class summary", "", f"{summary['learners']} learner report(s); course: "
             f"{courses}.", "", _sources_line(summary), ""]
    if len(summary["courses"]) > 1:
        lines += ["**Warning:** the reports come from different courses; compare with care.", ""]
    for same in summary["same_name"]:
        files = ", ".join(md_inline(f, limit=120) for f in same["files"])
        lines += [f"**Warning:** {len(same['files'])} reports name the same learner, "
                  f"{md_inline(same['name'])}: {files}. Each has its own row below; check "
                  "whether two learners share the name or one report was handed in twice.", ""]
    lines += ["| Exercise | Passed | % | Stuck | Median attempts | Median hints | "
              "Median minutes to pass |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for e in summary["exercises"]:
        lines.append(f"| {md_code(e['id'], table=True)} | {e['passed']}/{e['learners']} | "
                     f"{_fmt(e['percent'])}% | {e['stuck']} | {_fmt(e['median_attempts'])} | "
                     f"{_fmt(e['median_hints'])} | {_fmt(e['median_minutes_to_pass'], 0)} |")
    if summary["most_stuck"]:
        lines += ["", "Where most learners are stuck: "
                  + ", ".join(md_code(i) for i in summary["most_stuck"]) + "."]
    lines += _labs_section(summary)
    lines += _who_may_need_help(summary)
    lines += _learners_section(summary)
    for key, title in (("skipped", "Files skipped"), ("dropped", "Entries left out")):
        if summary.get(key):
            lines += ["", f"## {title}", ""]
            lines += [f"- {md_inline(s['file'], limit=300)}: {safe_line(s['reason'], 300)}"
                      for s in summary[key]]
    return "\n".join(lines) + "\n"


def _labs_section(summary: dict[str, Any]) -> list[str]:
    labs = [e for e in summary["exercises"] if "lab" in e]
    if not labs:
        return []
    lines = ["", "## Defence labs", "",
             "Medians over the learners whose defence was graded; the attacks listed got "
             "through for the most learners (held-out attacks by kind).", "",
             "| Lab | Graded | Median attacks blocked | Median usefulness kept | "
             "Attacks most often through |", "| --- | --- | --- | --- | --- |"]
    for e in labs:
        lab = e["lab"]
        through = ", ".join(f"{md_code(a['attack'], table=True)} ({a['learners']})"
                            for a in lab["attacks_through"])
        lines.append(f"| {md_code(e['id'], table=True)} | {lab['learners_scored']} | "
                     f"{_percent(lab['median_blocked_percent'])} | "
                     f"{_percent(lab['median_useful_percent'])} | {through} |")
    return lines


def _percent(value: float | None) -> str:
    return f"{_fmt(value, 0)}%" if value is not None else ""


def _who_may_need_help(summary: dict[str, Any]) -> list[str]:
    helpers = [s for s in summary["learner_summaries"] if s["may_need_help"]]
    lines = ["", "## Who may need help", ""]
    if not helpers:
        return [*lines, f"Nobody has {STUCK_ATTEMPTS} or more check runs on an exercise "
                "without passing it."]
    return lines + [f"- {md_inline(s['name'])}: {STUCK_ATTEMPTS}+ check runs without a pass on "
                    + ", ".join(md_code(i) for i in s["many_attempts_on"]) for s in helpers]


def _sources_line(summary: dict[str, Any]) -> str:
    """E.g. "3 from CI runs, 1 self-reported." (older summaries lack the counts)."""
    from_ci = summary.get("from_ci", 0)
    self_reported = summary.get("self_reported", summary["learners"] - from_ci)
    return f"{from_ci} from CI runs, {self_reported} self-reported."


def source_cell(learner: dict[str, Any], table: bool = True) -> str:
    """"CI run" and the run's address as literal code (never a link), or "self-reported"."""
    graded_in = learner.get("graded_in")
    if not graded_in:
        return "self-reported"
    return f"CI run {md_code(graded_in['run_url'], table=table, limit=400)}"


def _learners_section(summary: dict[str, Any]) -> list[str]:
    """Each learner's progress and where their report says it was made."""
    lines = ["", "## Learners", "",
             "\"CI run\" means the report says a CI run made it; that holds for the reports "
             "you downloaded from the run yourself (for example with `gh run download`).", "",
             "| Learner | Passed | Source |", "| --- | --- | --- |"]
    return lines + [f"| {md_inline(s['name'], table=True)} | {_passed_cell(s)} | "
                    f"{source_cell(s)} |" for s in summary["learner_summaries"]]


def _passed_cell(learner: dict[str, Any]) -> str:
    """Of the learner's track first, when the report has one: that is the workshop's goal."""
    everything = f"{learner['passed']}/{learner['total']}"
    if learner.get("track") is None:
        return everything
    return (f"{learner['track_passed']}/{learner['track_total']} of track "
            f"{md_code(learner['track'], table=True)} ({everything} in all)")


def to_csv(summary: dict[str, Any]) -> str:
    out = io.StringIO()
    columns = ["exercise", "passed", "learners", "percent", "tried", "stuck",
               "median_attempts", "median_hints", "median_minutes_to_pass",
               "solutions_viewed_before_pass", "lab_median_blocked_percent",
               "lab_median_useful_percent"]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for e in summary["exercises"]:
        writer.writerow([csv_cell(cell) for cell in (
            e["id"], e["passed"], e["learners"], e["percent"], e["tried"], e["stuck"],
            _fmt(e["median_attempts"]), _fmt(e["median_hints"]),
            _fmt(e["median_minutes_to_pass"], 0), e["solutions_viewed_before_pass"],
            _fmt(e.get("lab", {}).get("median_blocked_percent"), 0),
            _fmt(e.get("lab", {}).get("median_useful_percent"), 0))])
    return out.getvalue()


def render(summary: dict[str, Any], fmt: str) -> str:
    if fmt == "json":  # exact data; bidi and C1 characters as JSON escapes
        return json_for_terminal(summary) + "\n"
    if fmt == "csv":
        return to_csv(summary)
    return to_markdown(summary)
