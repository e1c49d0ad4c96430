"""The shipped course itself: every lesson parses, every solution passes its checks
through the real grader, every starter fails at least one, and the code is lint-clean."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tutor.course.layout import default_course_dir
from tutor.course.lessons import load_lesson, read_summary
from tutor.course.loader import load_course
from tutor.grader.checks import list_checks
from tutor.grader.verify import run_problems, static_problems

COURSE = load_course(default_course_dir())


def test_static_content_is_valid():
    problems, _incomplete = static_problems(COURSE)
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_lesson_has_objectives_quiz_and_sources(lesson):
    parsed = load_lesson(COURSE.root / lesson.file, lesson.id)
    assert parsed.objectives and parsed.quizzes and parsed.sources


@pytest.fixture(scope="module")
def warm_grader() -> Iterator[None]:
    """Grade the course as aisec verify-course does: through a warm grader (the cold
    path has the adversarial grader tests)."""
    from tutor.grader import warm

    warm.keep_warm(1, COURSE.paths.checks, patient=True)
    yield
    warm.POOL.close()


@pytest.mark.usefixtures("warm_grader")
@pytest.mark.parametrize("exercise", COURSE.exercises, ids=lambda ex: ex.id)
def test_solution_passes_and_starter_fails_through_the_grader(exercise):
    problems = run_problems(COURSE, exercise)
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("exercise", COURSE.exercises, ids=lambda ex: ex.id)
def test_every_exercise_has_at_least_five_checks_and_two_hints(exercise):
    checks = list_checks(COURSE.paths.check_file(exercise.id))
    assert len([c for c in checks if not c.optional]) >= 5
    assert 2 <= len(exercise.hints) <= 3


def test_course_code_is_ruff_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is part of the test extra: pip install -e '.[test]'"
    result = subprocess.run([ruff, "check", "tutor", "solutions", "tests", "benchmarks"],
                            cwd=COURSE.root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_course_map_is_up_to_date():
    script = COURSE.root / "docs" / "make_course_map.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_lesson_is_substantial_and_sourced(lesson):
    parsed = load_lesson(COURSE.root / lesson.file, lesson.id)
    words = len(parsed.markdown.split())
    assert words >= 500, f"{lesson.file}: {words} words of text; a lesson needs at least 500"
    assert len(parsed.sources) >= 2, f"{lesson.file}: cite at least two sources"
    assert 3 <= len(parsed.quizzes) <= 5, f"{lesson.file}: {len(parsed.quizzes)} quizzes"


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_lesson_facts_carry_a_last_checked_date(lesson):
    """A course on misinformation says when each lesson was checked against its sources."""
    parsed = load_lesson(COURSE.root / lesson.file, lesson.id)
    assert parsed.last_checked is not None, (
        f"{lesson.file}: add 'last_checked: YYYY-MM-DD' to the front matter once every fact "
        "has been checked against the sources")


@pytest.mark.parametrize("exercise", COURSE.exercises, ids=lambda ex: ex.id)
def test_every_exercise_fits_ten_to_thirty_minutes(exercise):
    """A learner who has read the lesson finishes an exercise in 10 to 30 minutes."""
    assert 10 <= exercise.minutes <= 30, (
        f"course.yaml:{exercise.line}: '{exercise.id}' is estimated at {exercise.minutes} "
        "minutes; scaffold it, split it, or move a part to 'Going further'")


def test_every_starter_fails_and_every_solution_passes_through_check_all(tmp_path):
    """The learner's path end to end: `aisec check --all` on starters, then on solutions."""
    env = {**os.environ, "NO_COLOR": "1"}

    def aisec(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tutor", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=900)

    assert aisec("init", "w").returncode == 0
    ws = ["--workspace", str(tmp_path / "w")]
    starters = aisec(*ws, "check", "--all", "--json")
    results = json.loads(starters.stdout)
    assert starters.returncode == 1
    assert results["total"] == len(COURSE.exercises) and results["passed"] == 0, [
        r["exercise"] for r in results["exercises"] if r["passed"]]
    for ex in COURSE.exercises:
        shutil.copy(COURSE.paths.solution(ex.id), tmp_path / "w" / "exercises" / ex.file)
    solved = aisec(*ws, "check", "--all", "--json")
    results = json.loads(solved.stdout)
    assert solved.returncode == 0, [r["exercise"] for r in results["exercises"]
                                    if not r["passed"]]
    assert results["passed"] == results["total"] == len(COURSE.exercises)


# --- Workshop tracks: the time budget, and the facilitator guide's agendas ---------------
# The policy (docs/facilitator.md, "The time budget"): reading plus exercises leave at
# least SLACK_SHARE of a track's time box for the welcome, breaks, questions and the
# wrap-up, and every 8-hour day in the box also keeps a lunch free.
SLACK_SHARE = 0.15
WORKSHOP_DAY_MINUTES = 480
LUNCH_MINUTES = 60
GUIDE = COURSE.root / "docs" / "facilitator.md"
READING = {entry.id: read_summary(COURSE.root / entry.file).minutes for entry in COURSE.lessons}
TITLES = {read_summary(COURSE.root / entry.file).title: entry.id for entry in COURSE.lessons}
EXERCISE_MINUTES = {ex.id: ex.minutes for ex in COURSE.exercises}


def learning_budget(box: int) -> int:
    """The most reading plus exercise minutes a time box of `box` minutes can hold."""
    lunches = box // WORKSHOP_DAY_MINUTES * LUNCH_MINUTES
    return box - math.ceil(box * SLACK_SHARE) - lunches


def left_out(track) -> set[str]:
    """The exercises of the track's lessons that the track does not include."""
    return {ex.id for entry in COURSE.lessons if entry.id in track.lessons
            for ex in entry.exercises if ex.id not in track.exercises}


def guide_section(heading: str, text: str | None = None) -> str:
    """The text under a Markdown heading of the guide, up to the next one of its level."""
    text = GUIDE.read_text(encoding="utf-8") if text is None else text
    level = len(heading.split(" ", 1)[0])
    start = text.index("\n" + heading) + 1
    end = re.compile(rf"^#{{1,{level}}} ", re.M).search(text, start + len(heading))
    return text[start:end.start()] if end else text[start:]


@pytest.mark.parametrize("track", COURSE.tracks, ids=lambda track: track.id)
def test_every_track_fits_its_time_box_with_slack(track):
    """Reading plus exercises leave 15% of the box (and a lunch per day) for the rest."""
    reading = sum(READING[lesson_id] for lesson_id in track.lessons)
    exercises = sum(EXERCISE_MINUTES[ex_id] for ex_id in track.exercises)
    budget = learning_budget(track.minutes)
    assert reading + exercises <= budget, (
        f"course.yaml: track '{track.id}' takes {reading} minutes of reading + {exercises} of "
        f"exercises = {reading + exercises}, but its {track.minutes}-minute box holds at most "
        f"{budget}: at least {SLACK_SHARE:.0%} stays free for the welcome, breaks, questions "
        f"and the wrap-up, plus {LUNCH_MINUTES} minutes of lunch per {WORKSHOP_DAY_MINUTES}-"
        f"minute day. Move {reading + exercises - budget} or more minutes of exercises out of "
        "the track's 'exercises' (to the agenda's 'if time allows' list in "
        "docs/facilitator.md), or drop a lesson; keep the time box as workshops book it.")


def test_intro_track_starts_with_the_course_loop_and_the_warm_up():
    """The 90-minute introduction opens with lesson 0 and its warm-up exercise."""
    track = COURSE.track("intro-90")
    first = COURSE.lessons[0]
    assert track.lessons[0] == first.id and track.exercises[0] == first.exercises[0].id, (
        f"course.yaml: track 'intro-90' starts with {track.lessons[0]!r} and "
        f"{track.exercises[:1]}; a first session needs '{first.id}' and its warm-up "
        f"'{first.exercises[0].id}' before anything else")


def test_facilitator_guide_names_every_exercise_and_lesson_with_its_minutes():
    """Every "`exercise` (N)", "`exercise` (N min)" and "*Lesson* (reading N)" in the guide
    carries the minutes of course.yaml and of the lesson's front matter, and the tables of
    "How long exercises take" list each exercise and lesson once, in the row of its minutes."""
    text = GUIDE.read_text(encoding="utf-8")
    stale = [f"`{ex_id}` ({minutes}): course.yaml says {EXERCISE_MINUTES[ex_id]}"
             for ex_id, minutes in re.findall(r"`(\w+)`\s+\((\d+)(?:\s+min)?\)", text)
             if ex_id in EXERCISE_MINUTES and int(minutes) != EXERCISE_MINUTES[ex_id]]
    for title, minutes in re.findall(r"\*([^*\n]+)\*\s+\(reading\s+(\d+)\)", text):
        lesson_id = TITLES.get(title)
        if lesson_id is None:
            stale.append(f"*{title}*: no lesson has this title")
        elif int(minutes) != READING[lesson_id]:
            stale.append(f"*{title}* (reading {minutes}): its front matter says "
                         f"{READING[lesson_id]}")
    listed: dict[str, list[int]] = {}
    for minutes, row in re.findall(r"^\| (\d+) \| (.*) \|$",
                                   guide_section("### How long exercises take", text), re.M):
        for name in re.findall(r"`([\w-]+)`", row):
            listed.setdefault(name, []).append(int(minutes))
    expected = {**EXERCISE_MINUTES, **READING}
    stale += [f"'{name}' is listed under {listed.get(name, 'no')} minutes in 'How long "
              f"exercises take'; it takes {minutes}" for name, minutes in expected.items()
              if listed.get(name) != [minutes]]
    assert not stale, (
        f"{GUIDE.name} does not match course.yaml and the lessons' minutes; update the "
        "guide (its agendas too):\n" + "\n".join(stale))


@pytest.mark.parametrize("track", COURSE.tracks, ids=lambda track: track.id)
def test_facilitator_agenda_schedules_the_track_and_adds_up_to_its_minutes(track):
    """The track's agenda in the guide schedules exactly its lessons and exercises, each
    block's minutes are the sum of what it schedules, the clock times follow from the
    minutes, the blocks fill the time box, and the rest of its lessons' exercises are
    named as "if time allows" work."""
    agenda = guide_section(f"### `{track.id}`")
    problems: list[str] = []
    scheduled: list[str] = []
    lessons: list[str] = []
    total = 0
    clock = None
    for line in agenda.splitlines():
        row = re.fullmatch(r"\| (\d+):(\d\d) \| (\d+) \| (.*) \|", line)
        if not row:
            clock = None  # a new table starts its own clock (a new day)
            continue
        start, minutes, block = int(row[1]) * 60 + int(row[2]), int(row[3]), row[4]
        if clock is not None and start != clock:
            problems.append(f"{row[1]}:{row[2]} should be {clock // 60}:{clock % 60:02}: the "
                            "block before it ends then")
        clock, total = start + minutes, total + minutes
        titles = re.findall(r"\*([^*]+)\*\s+\(reading\s+(\d+)\)", block)
        exercises = re.findall(r"`(\w+)`\s+\((\d+)\)", block)
        lessons += [TITLES.get(title, title) for title, _ in titles]
        scheduled += [ex_id for ex_id, _ in exercises]
        parts = [int(n) for _, n in titles + exercises]
        if parts and sum(parts) != minutes:
            problems.append(f"the block at {row[1]}:{row[2]} lasts {minutes} minutes but "
                            f"schedules {' + '.join(map(str, parts))} = {sum(parts)}")
    if total != track.minutes:
        problems.append(f"the blocks add up to {total} minutes, the time box is "
                        f"{track.minutes}")
    if sorted(lessons) != sorted(track.lessons):
        problems.append(f"it schedules the lessons {lessons}; the track has "
                        f"{list(track.lessons)}")
    if sorted(scheduled) != sorted(track.exercises):
        problems.append(f"it schedules the exercises {scheduled}; the track has "
                        f"{list(track.exercises)}")
    optional = set(re.findall(r"`(\w+)`\s+\(\d+\s+min\)", agenda))
    if optional != left_out(track):
        problems.append(f"its 'if time allows' or stretch exercises are {sorted(optional)}; "
                        f"the exercises of its lessons outside the track are "
                        f"{sorted(left_out(track))}")
    assert not problems, (
        f"{GUIDE.name}, agenda of track '{track.id}': update it to match course.yaml:\n"
        + "\n".join(problems))


def test_facilitator_track_table_matches_the_tracks():
    """The guide's table of tracks gives each track's box, counts and minutes."""
    rows = {row[0]: row[1:] for row in re.findall(
        r"^\| `([\w-]+)` \| (\d+) \| [^|]* \| (\d+) \| (\d+)(?: of \d+)? \| "
        r"(\d+) \+ (\d+) = (\d+) \|$", guide_section("## 2. Tracks and agendas"), re.M)}
    for track in COURSE.tracks:
        reading = sum(READING[lesson_id] for lesson_id in track.lessons)
        exercises = sum(EXERCISE_MINUTES[ex_id] for ex_id in track.exercises)
        expected = tuple(str(n) for n in (track.minutes, len(track.lessons),
                                          len(track.exercises), reading, exercises,
                                          reading + exercises))
        assert rows.get(track.id) == expected, (
            f"{GUIDE.name}, section 2: the row of track '{track.id}' should read box, "
            f"lessons, exercises, reading + exercises = total as {expected}, not "
            f"{rows.get(track.id)}")


@pytest.mark.parametrize("entry", COURSE.lessons, ids=lambda e: e.id)
def test_the_home_screens_quick_summary_agrees_with_the_parser(entry):
    """Home counts quizzes from the front matter and fences, and shows the objectives,
    without parsing Markdown; `aisec list` uses the parser (through its index). Both
    must say the same."""
    path = COURSE.root / entry.file
    summary, lesson = read_summary(path), load_lesson(path, entry.id)
    assert (summary.title, summary.minutes, summary.quizzes, list(summary.objectives)) == \
        (lesson.title, lesson.minutes, len(lesson.quizzes), lesson.objectives)
