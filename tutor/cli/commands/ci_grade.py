"""``aisec ci grade [EXERCISE ...] [--track T] [--junit F] [--report F] [--summary F]``.

What a CI job runs in a clone of a learner's workspace repository. It grades the
learner's exercise files with the hidden checks bundled in the installed package
and nothing else from the repository (:mod:`tutor.learner.ci_workspace`: no
``course_dir``, no committed progress, no check files, conftest.py or pytest.ini of
the learner's: the grader never reads those), from a fresh state kept in a
temporary folder. It grades the track's exercises (or those named) the way
``aisec check --all`` does, prints one row per exercise, and writes:

- ``--junit FILE``: JUnit XML, one test case per hidden check (:mod:`tutor.text.junit`);
- ``--report FILE``: the JSON report of ``aisec report``, with ``graded_in``
  describing the CI run (:mod:`tutor.workshop.ci_env`);
- ``--summary FILE``: a Markdown summary (:mod:`tutor.workshop.ci_summary`), also
  appended to ``$GITHUB_STEP_SUMMARY`` when GitHub Actions sets it.

On GitHub Actions each failing exercise also gets an error annotation on its file,
escaped so that learner-made text cannot add workflow commands
(:mod:`tutor.text.workflow_commands`). Exit 0 when every exercise graded passed,
1 when one did not, 2 for a usage or content error. Files are written by replacing
them (a temporary file renamed over), so a committed symbolic link at an output
path is replaced, not followed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor import __version__
from tutor.cli.commands.check import AllGraded, check_all
from tutor.cli.render import Result, lines, note
from tutor.course.model import Exercise
from tutor.errors import UsageError
from tutor.grader.result import GradeResult
from tutor.learner.ci_workspace import CIWorkspace, Ignored, open_for_ci
from tutor.text.safe import safe_line
from tutor.text.terminal import Style, plural

OUTPUTS = ("junit", "report", "summary")


@dataclass(frozen=True)
class CIGraded(Result):
    """The CI grading: the rows were shown as they came; this is the count."""

    graded: AllGraded
    written: tuple[str, ...]

    @property
    def exit_code(self) -> int:
        return self.graded.exit_code

    def to_text(self, style: Style) -> str:
        total = len(self.graded.results)
        return lines(f"\n{self.graded.passed} of {total} exercises pass.")

    def notes(self, style: Style) -> list[str]:
        return [f"Wrote {item}." for item in self.written]


def _targets(args: argparse.Namespace) -> dict[str, Path]:
    """The output files asked for, checked before any grading: their folders exist."""
    targets = {}
    for name in OUTPUTS:
        path: Path | None = getattr(args, name)
        if path is None:
            continue
        if not path.parent.is_dir():
            raise UsageError(f"--{name} {path}: the folder {path.parent} does not exist. "
                             "Create it first, or give another path.")
        if path.is_dir():
            raise UsageError(f"--{name} {path} is a folder; give a file name.")
        targets[name] = path
    return targets


def _chosen(workspace: CIWorkspace, ids: list[str]) -> list[Exercise]:
    if not ids:
        return workspace.track_exercises
    chosen = [workspace.course.exercise(wanted) for wanted in ids]
    return list(dict.fromkeys(chosen))  # in the order given, each once


def ignored_sentences(ignored: Ignored) -> tuple[str, ...]:
    out = []
    if ignored.course_dir:
        out.append(f".aisec/workspace.json names the course folder {ignored.course_dir}: "
                   "ignored; CI grades with the course bundled in aisec-tutor "
                   f"{__version__}.")
    if ignored.progress:
        out.append("The repository has a .aisec/progress.json: ignored; grading starts "
                   "from a fresh state.")
    return tuple(out)


def write_replacing(path: Path, data: bytes) -> None:
    """``data`` into ``path`` by replacing it (a committed symbolic link is not followed)."""
    from tutor.text.atomic_write import write_bytes_atomic

    try:
        write_bytes_atomic(path, data)
    except OSError as exc:
        raise UsageError(f"Could not write {path}: {exc.strerror or exc}.") from None


def _annotate(workspace: CIWorkspace, results: list[GradeResult]) -> None:
    """GitHub error annotations, one per exercise that does not pass, on its file."""
    from tutor.text.workflow_commands import command
    from tutor.workshop.ci_summary import failure_text

    for result in results:
        if result.passed:
            continue
        ex = workspace.course.exercise(result.exercise)
        print(command("error", {"file": workspace.display(ex),
                                "title": f"aisec: {ex.id} {result.status}"},
                      failure_text(result, whole=True) or result.status), flush=True)


def _write_outputs(workspace: CIWorkspace, graded: AllGraded, targets: dict[str, Path],
                   graded_in: dict[str, Any] | None, ignored: tuple[str, ...]) -> list[str]:
    from tutor.text.junit import to_junit
    from tutor.text.safe import json_for_terminal
    from tutor.workshop.ci_summary import SummaryContext, to_markdown
    from tutor.workshop.report import build_report

    results = list(graded.results)
    written = []
    if "junit" in targets:
        write_replacing(targets["junit"], to_junit(results))
        written.append(f"JUnit XML ({plural(len(results), 'exercise')}) to {targets['junit']}")
    if "report" in targets:
        report = build_report(workspace, graded_in=graded_in)
        write_replacing(targets["report"], (json_for_terminal(report) + "\n").encode())
        written.append(f"the JSON report to {targets['report']}")
    context = SummaryContext(__version__, workspace.course.title,
                             workspace.track.id if workspace.track else None,
                             graded_in, ignored)
    summary = to_markdown(results, context).encode("utf-8")
    if "summary" in targets:
        write_replacing(targets["summary"], summary)
        written.append(f"the Markdown summary to {targets['summary']}")
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        try:  # GitHub gives each step this file to append to
            with open(step_summary, "ab") as out:
                out.write(summary)
            written.append("the job summary ($GITHUB_STEP_SUMMARY)")
        except OSError as exc:
            note(f"warning: could not add the job summary: {exc.strerror or exc}")
    return [safe_line(item) for item in written]


def run(args: argparse.Namespace) -> Result:
    from tutor.workshop.ci_env import graded_in, provider

    if args.course is not None:
        raise UsageError("aisec ci grade grades with the course bundled in the installed "
                         "aisec-tutor, never another folder: leave out --course.")
    if args.all and (args.track or args.exercises):
        raise UsageError("--all grades every exercise: leave out --track and exercise ids, "
                         "or leave out --all.")
    targets = _targets(args)
    with tempfile.TemporaryDirectory(prefix="aisec-ci-") as state:
        workspace, ignored = open_for_ci(args.workspace, Path(state), args.track,
                                         config_track=not args.all)
        sentences = ignored_sentences(ignored)
        for sentence in sentences:
            note(f"note: {safe_line(sentence)}")
        exercises = _chosen(workspace, args.exercises)
        ci = graded_in()
        where = f"in a {ci['provider']} run" if ci else "outside a CI run we recognise"
        note(f"Grading {plural(len(exercises), 'exercise')} with the hidden checks of aisec-tutor "
             f"{__version__}, from a fresh state, {where}.")
        graded = check_all(workspace, show_rows=True, exercises=exercises)
        sys.stdout.flush()
        if provider() == "github":
            _annotate(workspace, list(graded.results))
        written = _write_outputs(workspace, graded, targets, ci, sentences)
    return CIGraded(graded, tuple(written))
