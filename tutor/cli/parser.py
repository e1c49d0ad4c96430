"""The ``aisec`` argument parser, and which module runs each command.

Each subcommand is bound to its module with ``set_defaults(run=...)``. The binding
is a :class:`Command` that names the module and imports it only when the command
runs, so that building the parser (``aisec --help``) imports no command code and
nothing heavy (Textual, ollama, httpx, pydantic).
"""

from __future__ import annotations

import argparse
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tutor import __version__
from tutor.cli.argparsing import CourseHelp, Parser, lessons_text, tracks_text

if TYPE_CHECKING:
    from tutor.cli.render import Outcome

    Subparsers = argparse._SubParsersAction[Parser]

DESCRIPTION = (
    "Open Source AI Done Right: a terminal course on security and privacy for AI features.\n"
    "Run a command inside your workspace (make one with 'aisec init')."
)

EPILOG = """\
exit codes: 0 success (all checks passed), 1 some checks failed or problems found,
            2 usage or content error (the message says how to fix it), 3 internal error

examples:
  aisec init && cd aisec-course     create a workspace and enter it
  aisec list                        lessons and exercises with your status
  aisec check luhn                  run the hidden checks on exercises/.../luhn.py
  aisec watch                       re-check the current exercise on every save

Without an exercise id, check, watch, hint, solution and reset work on the current
exercise: the one you last worked on while it has not passed, then the next one.
'aisec COMMAND --help' explains each command.
"""

EXERCISE_ARG = ("exercise id ('aisec list' shows them) or its file, e.g. "
                "exercises/09_pii/luhn.py")
RAW = argparse.RawDescriptionHelpFormatter


@dataclass(frozen=True)
class Command:
    """A command's module under :mod:`tutor.cli.commands`, imported when the command runs."""

    module: str

    def __call__(self, args: argparse.Namespace) -> Outcome:
        module = importlib.import_module(f"tutor.cli.commands.{self.module}")
        outcome: Outcome = module.run(args)
        return outcome


# What bare `aisec` runs: the full-screen course, or a plain overview off a terminal.
OVERVIEW = Command("overview")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="aisec", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"aisec-tutor {__version__}")
    parser.add_argument("--course", type=Path, metavar="DIR",
                        help="use the course in DIR instead of the bundled one")
    parser.add_argument("--workspace", type=Path, metavar="DIR",
                        help="use the workspace in DIR instead of searching upwards from here")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _learning_commands(sub)
    _app_commands(sub)
    _workshop_commands(sub)
    _ollama_commands(sub)
    _describe_from_help(sub)
    return parser


def _describe_from_help(sub: Subparsers) -> None:
    """Every command's --help opens with what it does: its line in 'aisec --help' when
    it has no longer description of its own."""
    helps = {action.dest: action.help for action in sub._choices_actions}
    for name, command in sub.choices.items():
        line = helps.get(name)
        if command.description is None and line:
            command.description = line[0].upper() + line[1:] + "."


def _learning_commands(sub: Subparsers) -> None:
    p = sub.add_parser(
        "init", help="create a workspace (default ./aisec-course)", add_help=False,
        formatter_class=RAW,
        description="Create a workspace: your copy of every exercise, and your progress in "
                    ".aisec/. It never overwrites anything. Run on a folder that already "
                    "is your workspace of this course, it changes nothing and succeeds.")
    p.add_argument("-h", "--help", action=CourseHelp, describe=tracks_text)
    p.add_argument("dir", nargs="?", type=Path, default=None, metavar="DIR",
                   help="the folder to create (default ./aisec-course)")
    p.add_argument("--track", metavar="NAME",
                   help="show only this track of the course (e.g. a workshop's subset; "
                        "the tracks are listed below)")
    p.add_argument("--git", action="store_true",
                   help="also make it a git repository whose .gitignore keeps your "
                        "progress (.aisec/) and copied solutions out of commits")
    p.set_defaults(run=Command("init"))

    p = sub.add_parser("list", help="lessons, exercises, status and number of hidden checks")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--all", action="store_true",
                   help="also list lessons outside your workspace's track")
    p.set_defaults(run=Command("list"))

    p = sub.add_parser("lesson", help="print a lesson as plain text", add_help=False,
                       formatter_class=RAW,
                       description="Print a lesson as plain text (for pipes and screen "
                                   "readers); it counts as opened in your progress.")
    p.add_argument("-h", "--help", action=CourseHelp, describe=lessons_text)
    p.add_argument("id", metavar="ID|NUMBER",
                   help="a lesson id, or the number 'aisec list' shows (aisec lesson 3)")
    p.set_defaults(run=Command("lesson"))

    p = sub.add_parser("quiz", help="answer a lesson's quiz in plain text (recorded)",
                       add_help=False, formatter_class=RAW,
                       description="Ask a lesson's quiz questions in plain text and record "
                                   "the answers, as the app does: a wrong answer gets a "
                                   "second try before the right one is shown.")
    p.add_argument("-h", "--help", action=CourseHelp, describe=lessons_text)
    p.add_argument("lesson", metavar="LESSON", help="a lesson id, or the number 'aisec list' "
                   "shows")
    p.add_argument("--answers", metavar="A,B,...",
                   help="answers as if typed at the prompts, e.g. a,c,b (for scripts)")
    p.add_argument("--json", action="store_true", help="machine-readable summary")
    p.set_defaults(run=Command("quiz"))

    p = sub.add_parser(
        "check", help="run the hidden checks on your exercise file",
        description="Grade your exercise file with its hidden checks and record the attempt. "
                    "Without ID, the current exercise: the one you last worked on while it "
                    "has not passed, then the next one not passed (it says which). Exit 0 "
                    "when everything graded passed, 1 otherwise.")
    p.add_argument("id", nargs="?", metavar="ID", help=f"{EXERCISE_ARG} (default: the "
                   "current exercise)")
    p.add_argument("--all", action="store_true",
                   help="check every exercise (of your track, if the workspace has one); the "
                        "summary says what passes now and what is done (passed once)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--junit", type=Path, metavar="FILE",
                   help="also write the results as JUnit XML (one test case per hidden "
                        "check), for a CI's test view")
    p.set_defaults(run=Command("check"))

    p = sub.add_parser(
        "lab", help="a defence lab: its sample of attacks, then both scores",
        description="Show the sample of a defence lab's attacks and ordinary requests, then "
                    "grade your defence on the whole corpora (held-out attacks included) and "
                    "record the attempt, like 'aisec check'. With --live, replay the corpora "
                    "on your own local model through Ollama instead: the two scores are for "
                    "comparison, not graded and not recorded.")
    p.add_argument("id", nargs="?", metavar="ID", help="the lab's id (default: the current "
                   "exercise, if it is a lab)")
    p.add_argument("--live", action="store_true",
                   help="use your own model through Ollama (OLLAMA_HOST); not graded")
    p.add_argument("--model", metavar="NAME", help="with --live: the model to use (default: "
                   "the one 'aisec ask' would use)")
    p.add_argument("--allow-remote", action="store_true",
                   help="with --live: allow an OLLAMA_HOST or model that is not on this "
                        "machine (the lab's prompts would leave it)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(run=Command("lab"))

    p = sub.add_parser(
        "watch", help="re-check on every save (ctrl+c to stop)",
        description="Re-check an exercise every time you save it. Without ID it follows the "
                    "course: it starts on the current exercise and, after a pass, moves on "
                    "to the next one not passed. With ID it keeps watching that file after a "
                    "pass and names the next exercise ('aisec watch' to follow the course).")
    p.add_argument("id", nargs="?", metavar="ID",
                   help=f"{EXERCISE_ARG} (default: follow the course from the current "
                        "exercise)")
    p.add_argument("--interval", type=float, default=0.3, metavar="S",
                   help="how often to look for changes when polling, in seconds (default "
                        "0.3); saves are noticed by the OS's file events where it has them")
    p.set_defaults(run=Command("watch"))

    p = sub.add_parser(
        "hint", help="reveal the next hint (recorded in your progress)",
        description="Reveal the next hint of an exercise and show every hint so far. Without "
                    "ID, the current exercise (the one you last worked on while it has not "
                    "passed, then the next one not passed).")
    p.add_argument("id", nargs="?", metavar="ID",
                   help=f"{EXERCISE_ARG} (default: the current exercise)")
    p.set_defaults(run=Command("hint"))

    p = sub.add_parser(
        "solution", help="show the reference solution (after a pass)",
        description="Show an exercise's reference solution (a copy is in solutions/). It is "
                    "yours once the exercise passed; --force shows it earlier, and your "
                    "progress records that. Without ID, the exercise you last worked on, "
                    "even if it has just passed (so that you can compare).")
    p.add_argument("id", nargs="?", metavar="ID",
                   help=f"{EXERCISE_ARG} (default: the exercise you last worked on)")
    p.add_argument("--force", action="store_true",
                   help="show it before passing (recorded in your progress)")
    p.set_defaults(run=Command("solution"))

    p = sub.add_parser(
        "reset", help="restore the starter file (your file is backed up first)",
        description="Restore an exercise's starter file; your version is saved in "
                    ".aisec/backups/ first. A pass stays a pass: resetting a passed exercise "
                    "does not take it away. Without ID, the current exercise (the one you "
                    "last worked on while it has not passed, then the next one not passed).")
    p.add_argument("id", nargs="?", metavar="ID",
                   help=f"{EXERCISE_ARG} (default: the current exercise)")
    p.set_defaults(run=Command("reset"))

    p = sub.add_parser("progress", help="what is done, attempts, hints used")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--all", action="store_true",
                   help="also show lessons outside your workspace's track")
    p.set_defaults(run=Command("progress"))

    p = sub.add_parser("verify-course", help="author check: content valid, solutions pass, "
                                             "starters fail")
    p.set_defaults(run=Command("verify_course"))


def _app_commands(sub: Subparsers) -> None:
    p = sub.add_parser("tui", help="start the full-screen course (what plain 'aisec' does in a "
                                   "terminal)")
    p.set_defaults(run=Command("tui"))

    p = sub.add_parser("serve", help="serve the course in a web browser (needs the 'serve' "
                                     "extra)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--allow-network", action="store_true",
                   help="allow an address other than this machine (learners' code runs here)")
    p.add_argument("--max-sessions", type=int, default=3, metavar="N",
                   help="browser sessions open at once (each is a process; default 3)")
    p.set_defaults(run=Command("serve"))


def _workshop_commands(sub: Subparsers) -> None:
    p = sub.add_parser("report", help="your progress report for a facilitator (no code in it)")
    p.add_argument("--format", choices=("json", "csv", "md"), default="json")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="write to FILE instead of printing")
    p.add_argument("--name", default="", help="the name to put on the report (default: none)")
    p.set_defaults(run=Command("report"))

    p = sub.add_parser("class", help="facilitators: summarise learners' JSON reports")
    p.add_argument("reports", nargs="+", type=Path, metavar="REPORT",
                   help="report files, or folders of them (*.json)")
    p.add_argument("--format", choices=("md", "csv", "json"),
                   help="the summary as Markdown (default), CSV or JSON")
    p.add_argument("-o", "--output", type=Path, metavar="FILE",
                   help="write to FILE instead of printing")
    p.add_argument("--gradebook", choices=("plain", "canvas", "moodle"),
                   help="instead of the summary, a gradebook CSV: one row per learner "
                        "(plain), or a file for Canvas's or Moodle's grade import")
    p.add_argument("--roster", type=Path, metavar="FILE",
                   help="the class list your platform exported (needed for canvas, moodle)")
    p.add_argument("--match", metavar="COLUMN",
                   help="the roster column that holds what learners typed as their report "
                        "name (default: 'SIS Login ID' for canvas, 'Email address' for moodle)")
    p.add_argument("--assignment", default="aisec-tutor", metavar="NAME",
                   help="the grade column's title (Canvas: 'Name (ID)' updates an existing "
                        "assignment; default aisec-tutor)")
    p.add_argument("--points", type=float, default=100.0, metavar="N",
                   help="points possible: the grade is the percent of the track passed, "
                        "scaled to N (default 100)")
    p.set_defaults(run=Command("class_summary"))  # `class` is a Python keyword
    _ci_commands(sub)


def _ci_commands(sub: Subparsers) -> None:
    ci = sub.add_parser("ci", help="facilitators: grade in CI (GitHub Actions, GitLab, "
                                   "GitHub Classroom)",
                        description="Grade learners' workspace repositories in CI with the "
                                    "hidden checks of the installed package. 'aisec ci init' "
                                    "writes the workflow; the workflow runs 'aisec ci grade'.")
    steps = ci.add_subparsers(dest="ci_command", metavar="STEP", required=True)
    p = steps.add_parser(
        "init", help="write the CI workflow into this workspace repository",
        description="Write a workflow that, on every push, installs the pinned aisec-tutor "
                    "and runs 'aisec ci grade': .github/workflows/aisec.yml (github), "
                    ".gitlab-ci.yml (gitlab) or .github/workflows/classroom.yml (classroom: "
                    "GitHub Classroom autograding, one graded test per exercise of the "
                    "track, 10 points each, 20 for a defence lab). Never overwrites "
                    "without --force.")
    p.add_argument("--provider", choices=("github", "gitlab", "classroom"), default="github",
                   help="which CI to write for (default github)")
    p.add_argument("--package", metavar="SPEC",
                   help="the pip requirement to install (default: aisec-tutor==this "
                        "version), e.g. 'aisec-tutor @ https://.../aisec_tutor-1.0-py3-none-"
                        "any.whl'")
    p.add_argument("--force", action="store_true", help="replace an existing workflow file")
    p.set_defaults(run=Command("ci_init"))

    p = steps.add_parser(
        "grade", help="what the CI job runs: grade with the installed course's checks",
        description="Grade the learner's exercise files with the hidden checks bundled in "
                    "the installed package, from a fresh state: nothing else of the "
                    "repository counts (no course folder, committed progress or check "
                    "files). Exit 0 when every exercise graded passed, 1 when one did not, "
                    "2 for a usage error. On GitHub Actions it also writes the job summary "
                    "and annotates failing files.")
    p.add_argument("exercises", nargs="*", metavar="EXERCISE",
                   help="exercise ids to grade (default: the workspace's track, or the whole "
                        "course)")
    p.add_argument("--track", metavar="NAME", help="grade this track's exercises")
    p.add_argument("--all", action="store_true",
                   help="grade every exercise of the course, whatever track workspace.json "
                        "names (what 'aisec ci init' writes for a workspace without a track)")
    p.add_argument("--junit", type=Path, metavar="FILE",
                   help="write JUnit XML (one test case per hidden check)")
    p.add_argument("--report", type=Path, metavar="FILE",
                   help="write the JSON report ('aisec report' with graded_in)")
    p.add_argument("--summary", type=Path, metavar="FILE", help="write a Markdown summary")
    p.set_defaults(run=Command("ci_grade"))


def _ollama_commands(sub: Subparsers) -> None:
    p = sub.add_parser(
        "doctor", help="Python, terminal, Ollama: what works and how to fix what doesn't",
        description="Check Python, packages, terminal, the course and the optional local "
                    "Ollama server, including risky Ollama settings. Exit code 0 when the "
                    "course works (Ollama problems are warnings), 1 when something the "
                    "course needs is broken, or with --require-ollama when Ollama is not "
                    "ready.")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--require-ollama", action="store_true",
                   help="treat a missing or stopped Ollama server as an error (exit 1)")
    p.add_argument("--allow-remote", action="store_true",
                   help="also contact an OLLAMA_HOST that is not this machine")
    p.set_defaults(run=Command("doctor"))

    p = sub.add_parser(
        "ask", help="ask the local AI helper (Ollama) for a hint",
        description="Stream an answer from a local model. It sees the lesson and the "
                    "exercise instructions; your code and failing checks only with "
                    "--include-code. It gives hints, not solutions. A server that is not "
                    "this machine is refused unless --allow-remote. The model is --model, "
                    "else $AISEC_MODEL, else the first suitable local model.")
    p.add_argument("question", metavar="QUESTION")
    p.add_argument("--lesson", metavar="ID", help="the lesson to talk about")
    p.add_argument("--exercise", metavar="ID",
                   help="the exercise to talk about (default: your current one)")
    p.add_argument("--model", metavar="M", help="the Ollama model to ask")
    p.add_argument("--include-code", action="store_true",
                   help="also send your exercise file and its failing check messages")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow an OLLAMA_HOST or model that is not on this machine")
    p.add_argument("--timeout", type=float, default=120.0, metavar="S",
                   help="seconds to wait for the model (default 120)")
    p.set_defaults(run=Command("ask"))
