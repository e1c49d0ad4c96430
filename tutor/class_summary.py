"""Aggregate learners' JSON reports into a class summary for the facilitator.

Per exercise: how many learners passed (n / total and %), median attempts and
hints, how many are stuck (tried, not passed); per learner: who may need help.
A file that is not a valid aisec report is listed and skipped, never fatal.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.report import REPORT_SCHEMA, REPORT_VERSION

SUMMARY_SCHEMA = "aisec-class-summary"
STUCK_ATTEMPTS = 5  # this many check runs without a pass suggests a learner needs a hand


@dataclass
class Loaded:
    reports: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (label, report)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)


def _why_invalid(data: Any) -> str | None:
    if not isinstance(data, dict) or data.get("schema") != REPORT_SCHEMA:
        return "not an aisec learner report (made with 'aisec report --format json')"
    version = data.get("schema_version")
    if not isinstance(version, int) or version > REPORT_VERSION:
        return (f"report schema version {version!r} is newer than this aisec-tutor reads; "
                "upgrade with 'pip install -U aisec-tutor'")
    if not isinstance(data.get("exercises"), list) or not isinstance(data.get("course"), dict):
        return "the report is incomplete (no exercises or course)"
    for ex in data["exercises"]:
        if not isinstance(ex, dict) or not isinstance(ex.get("id"), str):
            return "an exercise entry is malformed"
    return None


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for the *.json files in it."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.json")) if path.is_dir() else [path]
    return files


def load_reports(paths: list[Path]) -> Loaded:
    loaded = Loaded()
    for number, path in enumerate(expand(paths), 1):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            loaded.skipped.append((str(path), "no such file"))
            continue
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            loaded.skipped.append((str(path), f"not readable JSON ({exc})"))
            continue
        why = _why_invalid(data)
        if why:
            loaded.skipped.append((str(path), why))
            continue
        name = str(data.get("name") or "").strip()
        loaded.reports.append((name or f"learner {number} ({path.name})", data))
    return loaded


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summarise(loaded: Loaded) -> dict[str, Any]:
    reports = loaded.reports
    courses = sorted({r["course"].get("id", "?") for _, r in reports})
    order: list[str] = []
    by_exercise: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    relevant: set[str] = set()  # in someone's track, or tried by someone
    for label, report in reports:
        for ex in report["exercises"]:
            if ex["id"] not in by_exercise:
                order.append(ex["id"])
            by_exercise.setdefault(ex["id"], []).append((label, ex))
            if ex.get("in_track", True) or int(ex.get("attempts") or 0) > 0:
                relevant.add(ex["id"])
    order = [ex_id for ex_id in order if ex_id in relevant]
    total = len(reports)
    exercises = []
    for ex_id in order:
        rows = by_exercise[ex_id]
        passed = [ex for _, ex in rows if ex.get("status") == "passed"]
        tried = [ex for _, ex in rows if int(ex.get("attempts") or 0) > 0]
        stuck = [label for label, ex in rows
                 if int(ex.get("attempts") or 0) > 0 and ex.get("status") != "passed"]
        exercises.append({
            "id": ex_id, "passed": len(passed), "learners": total,
            "percent": round(100 * len(passed) / total, 1) if total else 0.0,
            "tried": len(tried), "stuck": len(stuck), "stuck_learners": stuck,
            "median_attempts": _median([float(ex.get("attempts") or 0) for ex in tried]),
            "median_hints": _median([float(ex.get("hints_revealed") or 0) for ex in tried]),
            "median_minutes_to_pass": _median([ex["time_to_pass_s"] / 60 for ex in passed
                                               if isinstance(ex.get("time_to_pass_s"), int)]),
            "solutions_viewed_before_pass": sum(bool(ex.get("solution_viewed_before_pass"))
                                                for _, ex in rows),
        })
    learners = []
    for label, report in reports:
        stuck = [ex["id"] for ex in report["exercises"]
                 if ex.get("status") != "passed" and int(ex.get("attempts") or 0) > 0]
        many = [ex["id"] for ex in report["exercises"]
                if ex.get("status") != "passed" and int(ex.get("attempts") or 0) >= STUCK_ATTEMPTS]
        learners.append({"name": label,
                         "passed": sum(ex.get("status") == "passed" for ex in report["exercises"]),
                         "total": len(report["exercises"]), "stuck_on": stuck,
                         "may_need_help": bool(many), "many_attempts_on": many})
    hardest = sorted((e for e in exercises if e["stuck"]), key=lambda e: (-e["stuck"], e["id"]))
    return {
        "schema": SUMMARY_SCHEMA, "schema_version": 1, "learners": total, "courses": courses,
        "exercises": exercises, "learner_summaries": learners,
        "most_stuck": [e["id"] for e in hardest[:5]],
        "skipped": [{"file": f, "reason": why} for f, why in loaded.skipped],
    }


def _fmt(value: float | None, digits: int = 1) -> str:
    """A number without trailing zeros after the point: 2.0 -> "2", 2.5 -> "2.5", 10 -> "10"."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def to_markdown(summary: dict[str, Any]) -> str:
    lines = ["# Class summary", "",
             f"{summary['learners']} learner report(s); course: "
             f"{', '.join(summary['courses']) or '—'}.", ""]
    if len(summary["courses"]) > 1:
        lines += ["**Warning:** the reports come from different courses; compare with care.", ""]
    lines += ["| Exercise | Passed | % | Stuck | Median attempts | Median hints | "
              "Median minutes to pass |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for e in summary["exercises"]:
        lines.append(f"| `{e['id']}` | {e['passed']}/{e['learners']} | {_fmt(e['percent'])}% | "
                     f"{e['stuck']} | {_fmt(e['median_attempts'])} | {_fmt(e['median_hints'])} "
                     f"| {_fmt(e['median_minutes_to_pass'], 0)} |")
    if summary["most_stuck"]:
        lines += ["", "Where most learners are stuck: "
                  + ", ".join(f"`{i}`" for i in summary["most_stuck"]) + "."]
    helpers = [s for s in summary["learner_summaries"] if s["may_need_help"]]
    lines += ["", "## Who may need help", ""]
    if helpers:
        lines += [f"- {s['name']}: {STUCK_ATTEMPTS}+ check runs without a pass on "
                  + ", ".join(f"`{i}`" for i in s["many_attempts_on"]) for s in helpers]
    else:
        lines.append(f"Nobody has {STUCK_ATTEMPTS} or more check runs on an exercise without "
                     "passing it.")
    if summary["skipped"]:
        lines += ["", "## Files skipped", ""]
        lines += [f"- {s['file']}: {s['reason']}" for s in summary["skipped"]]
    return "\n".join(lines) + "\n"


def to_csv(summary: dict[str, Any]) -> str:
    out = io.StringIO()
    columns = ["exercise", "passed", "learners", "percent", "tried", "stuck",
               "median_attempts", "median_hints", "median_minutes_to_pass",
               "solutions_viewed_before_pass"]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for e in summary["exercises"]:
        writer.writerow([e["id"], e["passed"], e["learners"], e["percent"], e["tried"],
                         e["stuck"], _fmt(e["median_attempts"]), _fmt(e["median_hints"]),
                         _fmt(e["median_minutes_to_pass"], 0), e["solutions_viewed_before_pass"]])
    return out.getvalue()


def render(summary: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return to_csv(summary)
    return to_markdown(summary)
