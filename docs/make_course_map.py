"""Write docs/course-map.md from the manifest and the lessons' front matter.

Usage: python docs/make_course_map.py [--check]

With --check it exits 1 when the committed map is out of date (a test runs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from tutor.course.layout import default_course_dir
from tutor.course.lessons import read_summary
from tutor.course.loader import load_course
from tutor.course.model import Course
from tutor.grader.checks import list_checks

MAP = Path(__file__).resolve().parent / "course-map.md"
OWASP = {
    "LLM01": "Prompt Injection", "LLM02": "Sensitive Information Disclosure",
    "LLM03": "Supply Chain", "LLM04": "Data and Model Poisoning",
    "LLM05": "Improper Output Handling", "LLM06": "Excessive Agency",
    "LLM07": "System Prompt Leakage", "LLM08": "Vector and Embedding Weaknesses",
    "LLM09": "Misinformation", "LLM10": "Unbounded Consumption",
}
# The 2026 edition (published 4 August 2026) renumbered eight entries and renamed one;
# the course's tags stay on the 2025 ids (lesson 0 explains the mapping), and the map
# derives the 2026 ids from them. Checked against GenAI-LLM-Top10 2026/final/*.md.
OWASP_2026 = {
    "LLM01": "LLM01", "LLM02": "LLM02", "LLM03": "LLM04", "LLM04": "LLM05",
    "LLM05": "LLM10", "LLM06": "LLM03", "LLM07": "LLM08", "LLM08": "LLM09",
    "LLM09": "LLM07", "LLM10": "LLM06",
}
RENAMED_2026 = {"LLM07": "Hidden Context Exposure"}
# OWASP Top 10 for Agentic Applications (December 2025), names as in its entries.
ASI = {
    "ASI01": "Agent Goal Hijack", "ASI02": "Tool Misuse and Exploitation",
    "ASI03": "Identity and Privilege Abuse", "ASI04": "Agentic Supply Chain Vulnerabilities",
    "ASI05": "Unexpected Code Execution (RCE)", "ASI06": "Memory & Context Poisoning",
    "ASI07": "Insecure Inter-Agent Communication", "ASI08": "Cascading Failures",
    "ASI09": "Human-Agent Trust Exploitation", "ASI10": "Rogue Agents",
}
HEADER = [
    "# Course map",
    "",
    "Generated from `course.yaml` by `python docs/make_course_map.py`; do not edit by hand.",
    "Each lesson (in bold) and each of its exercises shows its OWASP Top 10 for LLM",
    "Applications ids in the **2025** edition (the ids the course tags with) and the **2026**",
    "edition (derived from them), its OWASP Top 10 for Agentic Applications ids (ASI), and",
    "other tags such as MITRE ATLAS technique ids (AML.T…). A lesson's ids are its own tags",
    "plus those of its exercises.",
    "",
    "| # | Lesson or exercise | Minutes | Hidden checks | LLM 2025 | LLM 2026 | ASI | Other tags |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
]


def tag_columns(tags: list[str]) -> str:
    """The LLM 2025, LLM 2026, ASI and other-tag cells of one row."""
    llm = sorted(t for t in tags if t in OWASP)
    asi = sorted(t for t in tags if t in ASI)
    other = [t for t in tags if t not in OWASP and t not in ASI]
    cells = [llm, sorted({OWASP_2026[t] for t in llm}), asi, other]
    return " | ".join(", ".join(cell) or "—" for cell in cells)


def render() -> str:
    course = load_course(default_course_dir())
    lines = list(HEADER)
    total_minutes = total_checks = exercise_minutes = 0
    for number, entry in enumerate(course.lessons):
        summary = read_summary(course.root / entry.file)
        total_minutes += summary.minutes
        rows = []
        tags = list(entry.tags)
        lesson_checks = 0
        for ex in entry.exercises:
            checks = sum(not c.optional for c in list_checks(course.paths.check_file(ex.id)))
            lesson_checks += checks
            exercise_minutes += ex.minutes
            rows.append(f"| | `{ex.id}` {ex.title} | {ex.minutes} | {checks} | "
                        f"{tag_columns(list(ex.tags))} |")
            tags += [t for t in ex.tags if t not in tags]
        total_checks += lesson_checks
        lines.append(f"| {number} | **{summary.title}** (`{entry.id}`) | {summary.minutes} | "
                     f"{lesson_checks or '—'} | {tag_columns(tags)} |")
        lines += rows
    lines += [
        "",
        f"{len(course.lessons)} lessons, {len(course.exercises)} exercises, {total_checks} "
        f"hidden checks; about {total_minutes} minutes of reading and {exercise_minutes} minutes "
        "of exercises (the authors' estimates for a learner who has read the lesson).",
        "",
        *track_table(course),
        "",
        *risk_tables(course),
    ]
    return "\n".join(lines) + "\n"


def risk_tables(course: Course) -> list[str]:
    """Where each OWASP LLM and agentic risk is practised (exercises) or taught (lesson tags)."""
    lines = [
        "## OWASP Top 10 for LLM Applications 2025: where each risk is practised",
        "",
        "| Id (2025) | Risk | Id (2026) | Exercises |",
        "| --- | --- | --- | --- |",
    ]
    for owasp_id, name in OWASP.items():
        ids = [f"`{ex.id}`" for ex in course.exercises if owasp_id in ex.tags]
        renamed = f" {RENAMED_2026[owasp_id]}" if owasp_id in RENAMED_2026 else ""
        lines.append(f"| {owasp_id} | {name} | {OWASP_2026[owasp_id]}{renamed} | "
                     f"{', '.join(ids) or '— (covered in lesson text)'} |")
    lines += [
        "",
        "## OWASP Top 10 for Agentic Applications (2026): where each risk is practised",
        "",
        "| Id | Risk | Exercises | Lessons that teach it |",
        "| --- | --- | --- | --- |",
    ]
    for asi_id, name in ASI.items():
        ids = [f"`{ex.id}`" for ex in course.exercises if asi_id in ex.tags]
        lessons = [f"`{entry.id}`" for entry in course.lessons if asi_id in entry.tags]
        lines.append(f"| {asi_id} | {name} | {', '.join(ids) or '—'} | "
                     f"{', '.join(lessons) or '—'} |")
    return lines


def track_table(course: Course) -> list[str]:
    """Each workshop track's reading and exercise minutes against its time box."""
    if not course.tracks:
        return []
    reading = {entry.id: read_summary(course.root / entry.file).minutes
               for entry in course.lessons}
    exercise = {ex.id: ex.minutes for ex in course.exercises}
    lines = [
        "## Workshop tracks",
        "",
        "Reading is the lessons' minutes, exercises the minutes of the exercises the track",
        "includes; what is left of the time box is for the welcome, breaks, lunch, questions",
        "and the wrap-up. Agendas and the time budget: [facilitator.md](facilitator.md).",
        "",
        "| Track | Time box | Lessons | Exercises | Reading | Exercise minutes | Total | Left |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for track in course.tracks:
        read = sum(reading[lesson_id] for lesson_id in track.lessons)
        work = sum(exercise[ex_id] for ex_id in track.exercises)
        left = track.minutes - read - work
        lines.append(f"| `{track.id}` {track.title} | {track.minutes} | {len(track.lessons)} | "
                     f"{len(track.exercises)} | {read} | {work} | {read + work} | {left} "
                     f"({round(100 * left / track.minutes)}%) |")
    read, work = sum(reading.values()), sum(exercise.values())
    lines.append(f"| Whole course (no track) | — | {len(course.lessons)} | "
                 f"{len(course.exercises)} | {read} | {work} | {read + work} | — |")
    return lines


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        current = MAP.read_text(encoding="utf-8") if MAP.exists() else ""
        if current != text:
            print(f"{MAP} is out of date: run python docs/make_course_map.py")
            return 1
        return 0
    MAP.write_text(text, encoding="utf-8")
    print(f"wrote {MAP}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
