"""``aisec tui``: the full-screen course (Textual). Interactive: it shows itself.

After the app exits, one line tells a learner whose shell cannot find ``aisec``
(the Quick start runs it as ``../.venv/bin/aisec``) how to run it from any folder.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
from pathlib import Path

from tutor.cli.context import course_and_workspace
from tutor.cli.render import warn


def start_tui(args: argparse.Namespace) -> int:
    from tutor.tui.app import AisecApp

    course, workspace = course_and_workspace(args, warn_now=False)
    app = AisecApp(course, workspace)
    app.run()
    for warning in app.progress_warnings:  # shown in the app; kept on the terminal too
        warn(warning)
    tip = path_tip()
    if tip is not None:
        print(tip)
    return 0


def path_tip(executable: str | None = None) -> str | None:
    """How to have ``aisec`` on the PATH, when the shell cannot find it; else None.

    Derived from the folder of the Python running aisec: its virtual environment's
    activate script if there is one, else the absolute path of the aisec script.
    """
    if shutil.which("aisec") is not None:
        return None
    scripts = Path(executable or sys.executable).absolute().parent
    windows = os.name == "nt"
    activate = scripts / ("activate.bat" if windows else "activate")
    if activate.is_file():
        command = str(activate) if windows else f"source {shlex.quote(str(activate))}"
        return f"To run aisec from any folder: {command}"
    script = scripts / ("aisec.exe" if windows else "aisec")
    if script.is_file():
        return f"aisec is not on your PATH; run it as {shlex.quote(str(script))}"
    return None


def run(args: argparse.Namespace) -> int:
    return start_tui(args)
