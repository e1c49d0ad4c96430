"""Time from process start to the first frame of the TUI's home screen.

Usage: python benchmarks/tui_startup.py [--runs N]

Both commands run as fresh processes, headless, alternating A and B so that
drift on a noisy machine hits both, and exit as soon as their first screen has
been laid out and rendered:

  A  aisec-tutor's app on a new workspace of the bundled course (home screen)
  B  a minimal Textual app that shows one line of text
  C  a Textual app with home's widgets (header, button, a 13-lesson option list,
     a scrolling pane, footer) and none of aisec-tutor's code: what Textual itself
     takes to show this screen, the floor under A (shown for information)

It prints median, min and max wall time and peak resident memory of each, and
the ratio of medians (issue 13's goal: A/B <= 1.3; TUI peak memory <= 120 MB).
`--json` prints the figures for benchmarks/all.py instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from common import Figures, Memory, Row, alternate, describe, new_workspace, pairwise, run

GOAL = 1.3
MEMORY_GOAL_MB = 120.0

# Both programs exit right after the first refresh that follows their first screen's
# mount: that refresh is the first frame, measured the same way for both.
OURS = """
import sys
from pathlib import Path
from tutor.tui.app import AisecApp
from tutor.tui.screens.home import HomeScreen
from tutor.learner.workspace import Workspace

original = HomeScreen.on_mount
def on_mount(self):
    original(self)
    self.call_after_refresh(self.app.exit)
HomeScreen.on_mount = on_mount

workspace = Workspace.open(Path(sys.argv[1]), None)
AisecApp(workspace.course, workspace, watch_files=False).run(headless=True)
"""

MINIMAL = """
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("Hello")

    def on_mount(self):
        self.call_after_refresh(self.exit)

Minimal().run(headless=True)
"""


HOME_WIDGETS = """
from textual.app import App
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

ROW = "·  {:>2}. A lesson title of some length\\n      0/3 exercises · quiz 0/2 · 20 min"

class Floor(App):
    def compose(self):
        yield Header()
        with Vertical():
            yield Static("Course title")
            yield Static("━" * 30 + "  0 of 30 exercises passed")
            yield Button("Continue: Lesson 0 · Welcome", variant="primary")
            with Horizontal():
                yield OptionList(*[Option(ROW.format(i), id=f"l{i}") for i in range(13)])
                with VerticalScroll():
                    yield Static("About the lesson\\n" * 12)
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.exit)

Floor().run(headless=True)
"""


def child_env() -> dict[str, str]:
    """The environment of a learner's terminal, for both programs alike.

    Bytecode is cached: an installed package comes with it (Textual's does), and with
    PYTHONDONTWRITEBYTECODE set ours alone would be compiled from source in every run.
    The size is the same for Rich and the headless driver, as in a real terminal: with
    no terminal they disagree (80x25 and 80x24) and each app is laid out twice over.
    """
    env = {name: value for name, value in os.environ.items()
           if name != "PYTHONDONTWRITEBYTECODE"}
    env.update(COLUMNS="80", LINES="24")
    return env


def measure(code: str, *args: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one fresh process."""
    done = run([sys.executable, "-c", code, *args], env=child_env(), check=True)
    return done.seconds, done.peak_mb


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def figures(runs: int) -> Figures:
    with tempfile.TemporaryDirectory() as tmp:
        workspace = new_workspace(Path(tmp))
        ours, minimal, floor = alternate([lambda: measure(OURS, str(workspace)),
                                          lambda: measure(MINIMAL),
                                          lambda: measure(HOME_WIDGETS)], runs)
    return Figures(
        [Row("TUI start to first frame / minimal app",
             [t for t, _ in ours], [t for t, _ in minimal], GOAL),
         Row("  ...home's widgets alone (Textual's floor) / minimal app",
             [t for t, _ in floor], [t for t, _ in minimal])],
        [Memory("TUI, home screen", max(m for _, m in ours), MEMORY_GOAL_MB),
         Memory("minimal Textual app", max(m for _, m in minimal))])


def main() -> int:
    args = build_parser().parse_args()
    result = figures(args.runs)
    if args.json:
        print(result.to_json())
        return 0
    row = result.rows[0]
    print(f"process start to first frame, {args.runs} runs each, alternating, headless")
    for name, times, memory in (("aisec home", row.a, result.memory[0]),
                                ("minimal app", row.b, result.memory[1])):
        print(f"{describe(name, times)}   peak memory {memory.mb:.0f} MB")
    print(f"  ratio of medians {row.ratio:.2f}x   median pairwise {pairwise(row.a, row.b):.2f}x"
          f"   (goal <= {GOAL:g}x)")
    floor = result.rows[1]
    print(f"  home's widgets alone (no aisec code) {floor.ratio:.2f}x: Textual's floor under it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
