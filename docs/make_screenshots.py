"""Regenerate the README's screenshots (SVG, exported by the app itself).

Usage: python docs/make_screenshots.py

It makes a temporary workspace of the bundled course, opens the PII lesson and
the `luhn` exercise with a plausible first attempt, and saves each screen at
100x32 into docs/images/.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course
from tutor.learner.workspace import Workspace
from tutor.tui.app import AisecApp
from tutor.tui.screens.exercise import ExerciseScreen

OUT = Path(__file__).resolve().parent / "images"
FIRST_ATTEMPT = '''\
import re


def luhn_valid(number):
    digits = number.replace(" ", "").replace("-", "")
    if not digits.isdigit() or not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def find_cards(text):
    return [m.group() for m in re.finditer(r"\\d[\\d -]{11,22}\\d", text) if luhn_valid(m.group())]
'''


async def capture(workspace: Workspace) -> None:
    app = AisecApp(workspace.course, workspace, watch_files=False)
    async with app.run_test(size=(100, 32)) as pilot:
        app.open_lesson("pii-redaction")
        await pilot.pause(0.5)
        app.save_screenshot("lesson.svg", str(OUT))
        app.pop_screen()
        app.open_exercise("luhn")
        deadline = time.monotonic() + 30
        while not (isinstance(app.screen, ExerciseScreen) and app.screen.last_result):
            assert time.monotonic() < deadline, "grading did not finish"
            await pilot.pause(0.1)
        await pilot.pause(0.3)
        app.save_screenshot("exercise.svg", str(OUT))


def main() -> None:
    course = load_course(default_course_dir())
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace.create(Path(tmp) / "ws", course, custom_course=False)
        workspace.exercise_path(course.exercise("luhn")).write_text(FIRST_ATTEMPT)
        asyncio.run(capture(workspace))
    print(f"wrote {OUT / 'lesson.svg'} and {OUT / 'exercise.svg'}")


if __name__ == "__main__":
    main()
