"""The ``aisec`` entry point: parse, run the command, show its result, map errors
to exit codes.

Exit codes: 0 success, 1 some checks failed or problems found, 2 usage or content
error, 3 internal error (a bug in aisec-tutor), 130 interrupted. Imports stay lazy:
``aisec --help`` must not import Textual, ollama, httpx or pydantic (a test
enforces it), and each command imports only what it uses.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from tutor.cli.parser import OVERVIEW, build_parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from tutor.errors import ContentError, TutorError
    from tutor.text.safe import safe_text

    try:
        return _run(args)
    except ContentError as exc:
        print("The course content has problems (this is not your fault):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {safe_text(str(problem))}", file=sys.stderr)
        print("Course authors: run 'aisec verify-course' for the full list.", file=sys.stderr)
        return exc.exit_code
    except TutorError as exc:  # messages may quote file names, hosts, model names
        from tutor.cli.remedies import WORDS

        print(f"aisec: {safe_text(exc.explained(WORDS))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `aisec lesson x | head`: the reader left, that is fine
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the final flush at exit cannot fail
        return 0
    except OSError as exc:  # disk full, permissions, a file where a folder should be...
        from tutor.errors import describe_os_error

        print(safe_text(f"aisec: {describe_os_error(exc)}"), file=sys.stderr)
        return 2
    except Exception as exc:  # a bug in aisec-tutor itself, not in the learner's work
        if os.environ.get("AISEC_DEBUG"):
            raise
        print(safe_text(f"aisec: internal error ({type(exc).__name__}: {exc}). This is a bug "
                        "in aisec-tutor, not in your code; please report it. Set "
                        "AISEC_DEBUG=1 to see the details."), file=sys.stderr)
        return 3


def _run(args: argparse.Namespace) -> int:
    from tutor.cli.render import show

    command = getattr(args, "run", None) or OVERVIEW  # bare `aisec` binds no command
    outcome = command(args)
    if isinstance(outcome, int):  # it showed everything itself as it went
        return outcome
    show(outcome, as_json=getattr(args, "json", False))
    return outcome.exit_code
