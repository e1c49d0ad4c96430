"""``aisec ask QUESTION``: a hint from the local model (:mod:`tutor.ollama.assistant`).

It prints as it goes: the answer is streamed piece by piece as the model writes
it, as plain text (the assistant has already made it safe for a terminal).
"""

from __future__ import annotations

import argparse
import sys

from tutor.cli.context import course_and_workspace
from tutor.text.terminal import Style


def run(args: argparse.Namespace) -> int:
    from tutor.ollama import assistant
    from tutor.ollama.host import check_allowed, resolve_host

    check_allowed(resolve_host(), args.allow_remote)  # before even opening the workspace
    course, workspace = course_and_workspace(args)
    session = assistant.open_session(
        course, workspace, args.question, lesson_id=args.lesson, exercise_id=args.exercise,
        include_code=args.include_code, model=args.model, allow_remote=args.allow_remote,
        timeout=args.timeout)
    print(Style(sys.stderr).dim(session.describe()), file=sys.stderr)
    ended_with_newline = True
    try:
        for piece in session.stream():
            sys.stdout.write(piece)  # plain text: never interpreted as markup
            sys.stdout.flush()
            ended_with_newline = piece.endswith("\n")
    finally:
        if not ended_with_newline:
            sys.stdout.write("\n")
            sys.stdout.flush()
    return 0
