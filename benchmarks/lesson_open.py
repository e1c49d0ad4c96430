"""Time to open the course's longest lesson and to quit from it, in the TUI.

Usage: python benchmarks/lesson_open.py [--runs N] [--size COLUMNSxROWS]

Everything runs headless in one process. Each run times, from the key press's
action to the next frame drawn:

  open     home screen -> the longest lesson (by Markdown length) shown
  complete home screen -> the whole lesson mounted (the rest follows the first frame)
  quit     the lesson -> back on the home screen
  baseline a minimal Textual app pushing a screen that shows one Static
  chrome   the same, with the lesson screen's header and footer around the Static:
           no lesson can open faster than this (Textual's own floor)

It prints the median, min and max of each (after one warm-up run) and the
ratio of the medians to the baseline: the figure to compare between machines,
since a loaded machine slows both (issue 13's goal for open: at most 1.5x).
Then, in a fresh process, the TUI's peak resident set after one open, complete
and quit of that lesson (goal: at most 120 MB). `--json` prints the figures for
benchmarks/all.py instead.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import Figures, Memory, Row, alternate, describe, new_workspace, run

from tutor.learner.workspace import Workspace
from tutor.tui.app import AisecApp

GOAL = 1.5
MEMORY_GOAL_MB = 120.0
# One fresh TUI process that opens the lesson, lets it mount in full and quits it:
# its peak resident set is the TUI's with the longest lesson warm.
ONE_VISIT = """
import asyncio, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import lesson_open
from tutor.learner.workspace import Workspace
workspace = Workspace.open(Path(sys.argv[2]), None)
size = tuple(int(n) for n in sys.argv[4].split("x"))
asyncio.run(lesson_open.lesson_open_quit(workspace, sys.argv[3], size))
"""


class _Shown(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("Hello")


class _Chrome(Screen[None]):
    BINDINGS = [("escape", "app.pop_screen", "Back"), ("right_square_bracket", "app.bell", "Next"),
                ("left_square_bracket", "app.bell", "Previous"), ("a", "app.bell", "Ask AI")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hello")
        yield Footer()


class _Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Home")


async def _next_frame(app: App[Any], started: float) -> float:
    """Seconds from ``started`` to the next refresh of the screen on top."""
    done = asyncio.Event()
    app.screen.call_after_refresh(done.set)
    await done.wait()
    return time.perf_counter() - started


async def _until(condition: object, pilot_pause: object) -> None:
    while not condition():  # type: ignore[operator]
        await pilot_pause()  # type: ignore[operator]


async def baseline(size: tuple[int, int], shown: type[Screen[None]] = _Shown) -> float:
    app = _Minimal()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        app.push_screen(shown())
        await _until(lambda: isinstance(app.screen, shown) and app.screen.is_mounted,
                     lambda: asyncio.sleep(0))
        return await _next_frame(app, started)


async def lesson_open_quit(workspace: Workspace, lesson_id: str,
                           size: tuple[int, int]) -> tuple[float, float, float]:
    from tutor.tui.screens.lesson import LessonScreen

    app = AisecApp(workspace.course, workspace, watch_files=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.lesson(lesson_id)  # parsed once per app, as when the learner comes back to it
        started = time.perf_counter()
        app.open_lesson(lesson_id)
        await _until(lambda: isinstance(app.screen, LessonScreen) and app.screen.is_mounted,
                     lambda: asyncio.sleep(0))
        opened = await _next_frame(app, started)
        await _wait_settled(app)
        complete = await _next_frame(app, started)
        await pilot.pause()
        started = time.perf_counter()
        app.pop_screen()
        await _until(lambda: not isinstance(app.screen, LessonScreen),
                     lambda: asyncio.sleep(0))
        quit_ = await _next_frame(app, started)
        await pilot.pause()
        return opened, complete, quit_


async def _wait_settled(app: App[Any]) -> None:
    """Let work left after the first frame (text mounted later) finish before quitting."""
    settled = getattr(app.screen, "settled", None)
    if settled is not None:
        await settled.wait()


def longest_lesson(workspace: Workspace) -> str:
    from tutor.course.lessons import load_lesson

    lengths = {entry.id: len(load_lesson(workspace.course.root / entry.file, entry.id).markdown)
               for entry in workspace.course.lessons}
    return max(lengths, key=lambda lesson_id: lengths[lesson_id])


def _report(name: str, times: list[float], base: float) -> None:
    print(f"{describe(name, times, 9)}   {statistics.median(times) / base:6.1f}x baseline")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def figures(runs: int, size: tuple[int, int]) -> tuple[str, Figures, list[float]]:
    """The lesson, the figures, and the quit times (printed, not a row of the table)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = new_workspace(Path(tmp))
        workspace = Workspace.open(root, None)
        lesson_id = longest_lesson(workspace)
        bases, chromes, visits = alternate(
            [lambda: asyncio.run(baseline(size)),
             lambda: asyncio.run(baseline(size, _Chrome)),
             lambda: asyncio.run(lesson_open_quit(workspace, lesson_id, size))], runs)
        one_visit = run([sys.executable, "-c", ONE_VISIT, str(Path(__file__).parent),
                         str(root), lesson_id, f"{size[0]}x{size[1]}"], check=True)
    opens, completes, quits = ([visit[i] for visit in visits] for i in range(3))
    return lesson_id, Figures(
        [Row("open the longest lesson / minimal app", opens, bases, GOAL),
         Row("  ...all of it mounted / minimal app", completes, bases),
         Row("  ...header and footer alone (Textual's floor) / minimal app", chromes, bases)],
        [Memory("TUI, longest lesson opened", one_visit.peak_mb, MEMORY_GOAL_MB)]), quits


def main() -> int:
    args = build_parser().parse_args()
    columns, rows = (int(n) for n in args.size.split("x"))
    lesson_id, result, quits = figures(args.runs, (columns, rows))
    if args.json:
        print(result.to_json())
        return 0
    opened, complete, chrome = result.rows
    base = statistics.median(opened.b)
    print(f"lesson {lesson_id!r} at {columns}x{rows}, {args.runs} runs, headless, "
          "to the next frame")
    _report("baseline", opened.b, base)
    _report("chrome", chrome.a, base)
    _report("open", opened.a, base)
    _report("complete", complete.a, base)
    _report("quit", quits, base)
    memory = result.memory[0]
    print(f"  {memory.what}: {memory.mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
