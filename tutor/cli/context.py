"""What most commands start from: the course, and the learner's workspace if any."""

from __future__ import annotations

import argparse

from tutor.cli.render import warn
from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course
from tutor.course.model import Course
from tutor.learner.paths import find_workspace
from tutor.learner.workspace import Workspace


def open_workspace(args: argparse.Namespace, *, warn_now: bool = True) -> Workspace:
    """The workspace named by --workspace or found above here (a usage error if none).
    ``warn_now=False`` leaves warnings about the progress file to the caller: the
    full-screen app shows them itself, since it covers whatever is printed before."""
    workspace = Workspace.open(args.workspace, args.course)
    if warn_now:
        workspace.state()  # reading the progress is what finds a bad file
        for warning in workspace.progress.take_warnings():
            warn(warning)
    return workspace


def has_workspace(args: argparse.Namespace) -> bool:
    return args.workspace is not None or find_workspace() is not None


def load_given_course(args: argparse.Namespace) -> Course:
    return load_course(args.course or default_course_dir())


def course_and_workspace(args: argparse.Namespace, *,
                         warn_now: bool = True) -> tuple[Course, Workspace | None]:
    """The course, and the workspace if there is one (list, lesson and ask work without)."""
    if has_workspace(args):
        workspace = open_workspace(args, warn_now=warn_now)
        return workspace.course, workspace
    return load_given_course(args), None

