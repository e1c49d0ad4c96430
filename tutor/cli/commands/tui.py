"""``aisec tui``: the full-screen course (Textual). Interactive: it shows itself."""

from __future__ import annotations

import argparse

from tutor.cli.context import course_and_workspace


def start_tui(args: argparse.Namespace) -> int:
    from tutor.tui.app import AisecApp

    course, workspace = course_and_workspace(args)
    AisecApp(course, workspace).run()
    return 0


def run(args: argparse.Namespace) -> int:
    return start_tui(args)
