"""Time to open the course's longest lesson and to quit from it, in the TUI.

Usage: python benchmarks/lesson_open.py [--runs N] [--size COLUMNSxROWS]

The app runs headless in this process. Each run times, from the key press's action
to the next frame drawn:

  open     home screen -> the longest lesson (by Markdown length) shown, its Markdown
           parsed before (as when the learner comes back to it)
  complete home screen -> the whole lesson mounted (the rest follows the first frame)
  quit     the lesson -> back on the home screen

and two baselines:

  launch   a minimal Textual app's first frame, from its process's start (a fresh
           process, as benchmarks/tui_startup.py's B): issue 13's baseline for this
           row ("a minimal Textual app's first frame"); goal: open at most 1.5x
  push     a minimal Textual app pushing a screen that shows one Static, in this
           process: a stricter yardstick, shown for information, with
  chrome   the same, with the lesson screen's header and footer around the Static:
           no lesson can open faster than this (Textual's own floor)

It prints the median, min and max of each (after one warm-up run) and the ratios
of the medians: the figures to compare between machines, since a loaded machine
slows both. Then, each in a fresh process, the TUI's peak resident set after one
open, complete and quit of that lesson, and after visiting every lesson twice
(goal: at most 120 MB). `--json` prints the figures for benchmarks/all.py instead.
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
from tui_startup import MINIMAL, measure

from tutor.learner.workspace import Workspace
from tutor.tui.app import AisecApp

GOAL = 1.5
MEMORY_GOAL_MB = 120.0
# One fresh TUI process that opens the lesson, lets it mount in full and quits it:
# its peak resident set is the TUI's with the longest lesson warm. It reports that
# peak itself: on Linux the peak the kernel gives a parent for its child starts at
# the parent's own size when it forked (this process runs apps too, so it is large).
ONE_VISIT = """
import asyncio, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import lesson_open
from tutor.learner.workspace import Workspace
workspace = Workspace.open(Path(sys.argv[2]), None)
size = tuple(int(n) for n in sys.argv[4].split("x"))
if sys.argv[3] == "every-lesson-twice":
    asyncio.run(lesson_open.visit_every_lesson(workspace, size, 2))
else:
    asyncio.run(lesson_open.lesson_open_quit(workspace, sys.argv[3], size))
print("peak MB", lesson_open.own_peak_mb())
"""


def own_peak_mb() -> float:
    """This process's largest resident set since it started its program (VmHWM on Linux;
    elsewhere the rusage figure, which may include the parent's size at the fork)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, else kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def _reported_peak(output: str) -> float:
    for line in output.splitlines():
        if line.startswith("peak MB "):
            return float(line.split()[2])
    raise SystemExit(f"the TUI process did not report its peak memory:\n{output[-2000:]}")


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


async def visit_every_lesson(workspace: Workspace, size: tuple[int, int], rounds: int) -> None:
    """Open every lesson in turn, let it mount in full and go back home, ``rounds`` times."""
    from tutor.tui.screens.lesson import LessonScreen

    app = AisecApp(workspace.course, workspace, watch_files=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for _ in range(rounds):
            for entry in workspace.course.lessons:
                app.open_lesson(entry.id)
                await _until(lambda: isinstance(app.screen, LessonScreen)
                             and app.screen.is_mounted, pilot.pause)
                await _wait_settled(app)
                await app.pop_screen()
                await pilot.pause()


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
        launches, bases, chromes, visits = alternate(
            [lambda: measure(MINIMAL)[0],
             lambda: asyncio.run(baseline(size)),
             lambda: asyncio.run(baseline(size, _Chrome)),
             lambda: asyncio.run(lesson_open_quit(workspace, lesson_id, size))], runs)
        peaks = [_reported_peak(run([sys.executable, "-c", ONE_VISIT, str(Path(__file__).parent),
                                     str(root), what, f"{size[0]}x{size[1]}"],
                                    capture=True, check=True).output)
                 for what in (lesson_id, "every-lesson-twice")]
    opens, completes, quits = ([visit[i] for visit in visits] for i in range(3))
    return lesson_id, Figures(
        [Row("open the longest lesson / minimal app's first frame", opens, launches, GOAL),
         Row("  ...open / minimal app pushing a screen (same process)", opens, bases),
         Row("  ...header and footer alone (Textual's floor) / the same", chromes, bases),
         Row("  ...all of it mounted / the same", completes, bases)],
        [Memory("TUI, longest lesson opened", peaks[0], MEMORY_GOAL_MB),
         Memory("TUI, every lesson visited twice", peaks[1], MEMORY_GOAL_MB)]), quits


def main() -> int:
    args = build_parser().parse_args()
    columns, rows = (int(n) for n in args.size.split("x"))
    lesson_id, result, quits = figures(args.runs, (columns, rows))
    if args.json:
        print(result.to_json())
        return 0
    opened, pushed, chrome, complete = result.rows
    launch, push = statistics.median(opened.b), statistics.median(pushed.b)
    print(f"lesson {lesson_id!r} at {columns}x{rows}, {args.runs} runs, headless, "
          "to the next frame; ratios to the launch of a minimal app, then to a push")
    for name, times in (("launch", opened.b), ("push", pushed.b), ("chrome", chrome.a),
                        ("open", opened.a), ("complete", complete.a), ("quit", quits)):
        print(f"{describe(name, times, 9)}   {statistics.median(times) / launch:5.2f}x launch"
              f"   {statistics.median(times) / push:6.1f}x push")
    for memory in result.memory:
        print(f"  {memory.what}: {memory.mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
