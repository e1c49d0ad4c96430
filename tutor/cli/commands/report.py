"""``aisec report [--format json|csv|md] [-o FILE] [--name N]``: progress for a facilitator.

The report and its formats are :mod:`tutor.workshop.report`'s; its JSON carries
``schema`` and ``schema_version``. It holds no code, no file contents, no paths.
"""

from __future__ import annotations

import argparse

from tutor.cli.context import open_workspace
from tutor.cli.render import Document, write_document
from tutor.errors import UsageError


def checked_name(name: str) -> str:
    """The name as a class summary will show it: one printable line of at most
    NAME_LIMIT characters (a summary cuts longer ones, and two could then merge)."""
    from tutor.text.safe import safe_line
    from tutor.workshop.report import NAME_LIMIT

    name = name.strip()
    if safe_line(name) != name:
        raise UsageError("--name holds a control character (a line break, a tab, an escape "
                         "sequence...); give your name as plain text.")
    if len(name) > NAME_LIMIT:
        raise UsageError(f"--name is {len(name)} characters long; give at most {NAME_LIMIT}.")
    return name


def run(args: argparse.Namespace) -> Document:
    from tutor.workshop.report import build_report, render

    report = build_report(open_workspace(args), name=checked_name(args.name))
    return write_document(
        render(report, args.format), args.output, "your progress report",
        after=("It holds your progress, quiz scores and the name you gave — no code, no file "
               "contents, no paths. Hand it to your facilitator.",))
