"""Time from process start to the first frame of the TUI's home screen.

Usage: python benchmarks/tui_startup.py [--runs N]

Both commands run as fresh processes, headless, alternating A and B so that
drift on a noisy machine hits both, and exit as soon as their first screen has
been laid out and rendered:

  A  aisec-tutor's app on a new workspace of the bundled course (home screen)
  B  a minimal Textual app that shows one line of text
  C  a Textual app with home's widgets (header, button, a 13-lesson option list,
     a scrolling pane, footer) and none of aisec-tutor's code: what Textual itself
     takes to show this screen, the floor under A

It prints median, min and max wall time, the median CPU time (user + system:
less swayed than wall time by other work on a busy machine) and peak resident
memory of each, and the ratios of medians (target: A/B <= 1.3).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def measure(code: str, *args: str) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one fresh process."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=child_env())
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"benchmark process failed (status {status}): run it by hand to see why")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "ws"
        subprocess.run([sys.executable, "-m", "tutor", "init", str(workspace)], check=True,
                       stdout=subprocess.DEVNULL)
        # Warm-up: file caches, pyc files.
        measure(OURS, str(workspace)), measure(MINIMAL), measure(HOME_WIDGETS)
        ours, minimal, floor = [], [], []
        for _ in range(args.runs):
            ours.append(measure(OURS, str(workspace)))
            minimal.append(measure(MINIMAL))
            floor.append(measure(HOME_WIDGETS))
    print(f"process start to first frame, {args.runs} runs each, alternating, headless")
    for name, runs in (("aisec home", ours), ("minimal app", minimal),
                       ("home widgets", floor)):
        times = [t for t, _, _ in runs]
        print(f"  {name:<12} median {statistics.median(times):.3f} s   min {min(times):.3f}   "
              f"max {max(times):.3f}   cpu {statistics.median(c for _, c, _ in runs):.3f} s   "
              f"peak memory {max(m for _, _, m in runs):.0f} MB")
    a = statistics.median(t for t, _, _ in ours)
    b = statistics.median(t for t, _, _ in minimal)
    pairs = [x[0] / y[0] for x, y in zip(ours, minimal, strict=True)]
    cpu = statistics.median(c for _, c, _ in ours) / statistics.median(c for _, c, _ in minimal)
    print(f"  ratio of medians {a / b:.2f}x   median pairwise {statistics.median(pairs):.2f}x"
          f"   cpu {cpu:.2f}x   (target <= 1.3x)")
    c = statistics.median(t for t, _, _ in floor)
    cpu_c = statistics.median(c for _, c, _ in floor) / statistics.median(c for _, c, _ in minimal)
    print(f"  home widgets alone (no aisec code) {c / b:.2f}x   cpu {cpu_c:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
