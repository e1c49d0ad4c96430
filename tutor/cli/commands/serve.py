"""``aisec serve``: the course in a web browser (:mod:`tutor.tui.serve`, the 'serve' extra).

It runs until stopped and prints as it goes: a warning when serving beyond this
machine was asked for, then the server's own address line with its token.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tutor.cli.render import warn
from tutor.errors import UsageError
from tutor.learner.paths import find_workspace


def run(args: argparse.Namespace) -> int:
    try:
        from tutor.tui.serve import check_launch, serve, session_command
    except ImportError:
        raise UsageError("Browser mode needs the 'serve' extra: pip install "
                         "'aisec-tutor[serve]' (or pip install textual-serve).") from None
    warning = check_launch(args.host, args.port, args.max_sessions, args.allow_network)
    if warning is not None:
        warn(warning)
    workspace = args.workspace or find_workspace()  # each session starts in this workspace
    command = session_command(args.course, Path(workspace) if workspace else None)
    serve(command, args.host, args.port, max_sessions=args.max_sessions)
    return 0
