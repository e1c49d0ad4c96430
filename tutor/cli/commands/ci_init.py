"""``aisec ci init [--provider github|gitlab|classroom] [--package SPEC] [--force]``.

Writes the CI workflow (:mod:`tutor.workshop.ci_workflows`) into the workspace
repository: ``.github/workflows/aisec.yml``, ``.gitlab-ci.yml`` or, for GitHub
Classroom's autograding, ``.github/workflows/classroom.yml``. It installs the
aisec-tutor this command belongs to (``aisec-tutor==<version>``) unless
``--package`` names another pip requirement, and grades the workspace's track,
which it writes into the workflow. An existing file is kept unless ``--force``;
outside a workspace it is a usage error; a workspace that is not a git repository
gets the file and a warning that says how to make it one.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from tutor.cli.context import open_workspace
from tutor.cli.render import Result, lines, warn
from tutor.errors import UsageError
from tutor.learner.workspace import read_config
from tutor.text.terminal import Style, plural


@dataclass(frozen=True)
class Written(Result):
    path: Path
    relative: str
    provider: str
    package: str
    graded: str  # what it grades, in words
    from_index: bool = False  # the default: the package index (PyPI) must hold this version

    def to_text(self, style: Style) -> str:
        where = {"github": "the Actions tab of the repository, with a job summary and the "
                           "aisec-results artifact",
                 "gitlab": "the pipeline's job, its Tests tab and the aisec-results "
                           "artifact",
                 "classroom": "GitHub Classroom's assignment page (points per exercise) and "
                              "the Actions tab"}[self.provider]
        index = ("  pip fetches it from the package index (PyPI). If your class installs "
                 "aisec-tutor another way, such as a wheel you host, write the workflow again "
                 "with --force --package 'aisec-tutor @ URL-of-the-wheel'."
                 if self.from_index else None)
        return lines(style.green(f"Wrote {self.relative}"),
                     f"  On every push it installs {self.package} and grades {self.graded} "
                     "with the hidden checks bundled in it.",
                     *([index] if index else []),
                     f"  Commit and push it: git add {self.relative} && git commit -m "
                     "'Grade in CI' && git push",
                     f"  Results appear in {where}.")


def run(args: argparse.Namespace) -> Written:
    from tutor.workshop.ci_workflows import PATHS, Plan, check_package, default_package, render

    workspace = open_workspace(args)  # a usage error outside a workspace
    package = check_package(args.package) if args.package else default_package()
    relative = PATHS[args.provider]
    target = workspace.root / relative
    if target.exists() and not args.force:
        raise UsageError(f"{target} already exists; aisec ci init does not overwrite it. "
                         "Compare it with what it would write, or pass --force to replace "
                         "it.")
    if not (workspace.root / ".git").exists():
        warn(f"{workspace.root} is not a git repository, and a CI grades a repository. "
             "Make it one with 'aisec init --git' in it (it keeps your progress out of "
             "commits), then commit and push.")
    if read_config(workspace.paths).get("course_dir") or args.course is not None:
        warn("This workspace uses a course folder of its own, but CI grades with the course "
             "bundled in the installed package; give --package a build of aisec-tutor that "
             "has your course.")
    track = workspace.track.id if workspace.track else None
    exercises = tuple(workspace.track_exercises)
    text = render(args.provider, Plan(package, track, exercises))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    graded = (f"the track '{track}' ({plural(len(exercises), 'exercise')})" if track
              else f"all {len(exercises)} exercises")
    return Written(target, relative, args.provider, package, graded,
                   from_index=not args.package)
