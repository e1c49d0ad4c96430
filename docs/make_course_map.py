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
# the course's tags stay on the 2025 ids (lesson 0 explains the mapping).
OWASP_2026 = {
    "LLM01": "LLM01", "LLM02": "LLM02", "LLM03": "LLM04", "LLM04": "LLM05",
    "LLM05": "LLM10", "LLM06": "LLM03", "LLM07": "LLM08 Hidden Context Exposure",
    "LLM08": "LLM09", "LLM09": "LLM07", "LLM10": "LLM06",
}


def render() -> str:
    course = load_course(default_course_dir())
    lines = [
        "# Course map",
        "",
        "Generated from `course.yaml` by `python docs/make_course_map.py`; do not edit by hand.",
        "Tags use the OWASP Top 10 for LLM Applications **2025** ids and, where useful, MITRE",
        "ATLAS technique ids (AML.T…). The table at the end gives each risk's 2026 id too.",
        "",
        "| # | Lesson | Minutes | Exercises (hidden checks, minutes) | Tags |",
        "| --- | --- | --- | --- | --- |",
    ]
    total_minutes = total_checks = exercise_minutes = 0
    for number, entry in enumerate(course.lessons):
        summary = read_summary(course.root / entry.file)
        total_minutes += summary.minutes
        exercises = []
        tags: list[str] = []
        for ex in entry.exercises:
            checks = sum(not c.optional for c in list_checks(course.paths.check_file(ex.id)))
            total_checks += checks
            exercise_minutes += ex.minutes
            exercises.append(f"`{ex.id}` {ex.title} ({checks} checks, ~{ex.minutes} min)")
            tags += [t for t in ex.tags if t not in tags]
        lines.append(f"| {number} | {summary.title} (`{entry.id}`) | {summary.minutes} | "
                     f"{'<br>'.join(exercises) or '—'} | {', '.join(tags) or '—'} |")
    lines += [
        "",
        f"{len(course.lessons)} lessons, {len(course.exercises)} exercises, {total_checks} "
        f"hidden checks; about {total_minutes} minutes of reading and {exercise_minutes} minutes "
        "of exercises (the authors' estimates for a learner who has read the lesson).",
        "",
        *track_table(course),
        "",
        "## OWASP Top 10 for LLM Applications 2025: where each risk is practised",
        "",
        "| Id (2025) | Risk | Id (2026) | Exercises |",
        "| --- | --- | --- | --- |",
    ]
    for owasp_id, name in OWASP.items():
        ids = [f"`{ex.id}`" for ex in course.exercises if owasp_id in ex.tags]
        lines.append(f"| {owasp_id} | {name} | {OWASP_2026[owasp_id]} | "
                     f"{', '.join(ids) or '— (covered in lesson text)'} |")
    return "\n".join(lines) + "\n"


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
