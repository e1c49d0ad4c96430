"""``aisec report [--format json|csv|md] [-o FILE] [--name N]``: progress for a facilitator.

The report and its formats are :mod:`tutor.workshop.report`'s; its JSON carries
``schema`` and ``schema_version``. It holds no code, no file contents, no paths.
"""

from __future__ import annotations

import argparse

from tutor.cli.context import open_workspace
from tutor.cli.render import Document, write_document


def run(args: argparse.Namespace) -> Document:
    from tutor.workshop.report import build_report, render

    report = build_report(open_workspace(args), name=args.name)
    return write_document(
        render(report, args.format), args.output, "your progress report",
        after=("It holds your progress, quiz scores and the name you gave — no code, no file "
               "contents, no paths. Hand it to your facilitator.",))
