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

It prints the median, min and max of each (after one warm-up run), the ratio of
the medians to the baseline (the figure to compare between machines, since a
loaded machine slows both) and the process's peak memory, everything warm.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tutor.learner.workspace import Workspace
from tutor.tui.app import AisecApp


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


async def _next_frame(app: App[object], started: float) -> float:
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


async def _wait_settled(app: App[object]) -> None:
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
    median = statistics.median(times)
    print(f"  {name:<9} median {median:.3f} s   min {min(times):.3f}   max {max(times):.3f}"
          f"   {median / base:6.1f}x baseline")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args()
    columns, rows = (int(n) for n in args.size.split("x"))
    size = (columns, rows)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        subprocess.run([sys.executable, "-m", "tutor", "init", str(root)], check=True,
                       stdout=subprocess.DEVNULL)
        workspace = Workspace.open(root, None)
        lesson_id = longest_lesson(workspace)
        asyncio.run(baseline(size)), asyncio.run(lesson_open_quit(workspace, lesson_id, size))
        bases, chromes, opens, completes, quits = [], [], [], [], []
        for _ in range(args.runs):
            bases.append(asyncio.run(baseline(size)))
            chromes.append(asyncio.run(baseline(size, _Chrome)))
            opened, complete, quit_ = asyncio.run(lesson_open_quit(workspace, lesson_id, size))
            opens.append(opened)
            completes.append(complete)
            quits.append(quit_)
    base = statistics.median(bases)
    print(f"lesson {lesson_id!r} at {columns}x{rows}, {args.runs} runs, headless, "
          "to the next frame")
    _report("baseline", bases, base)
    _report("chrome", chromes, base)
    _report("open", opens, base)
    _report("complete", completes, base)
    _report("quit", quits, base)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory {peak:.0f} MB (this process, after {args.runs + 1} opens)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
