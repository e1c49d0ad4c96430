"""The CI workflows ``aisec ci init`` writes, built as data and dumped as YAML.

Three kinds, each a file in the workspace repository:

- ``github``: ``.github/workflows/aisec.yml``. On every push: check out, set up
  Python, install the pinned aisec-tutor, ``aisec ci grade`` with the JUnit, JSON
  report and Markdown summary outputs, and upload those three as an artifact even
  when grading fails (``if: always()``).
- ``gitlab``: ``.gitlab-ci.yml``. The same in one job of a Python image; the
  artifacts are kept ``when: always`` and the JUnit file is declared as
  ``artifacts:reports:junit``, so GitLab's test view lists each hidden check.
- ``classroom``: ``.github/workflows/classroom.yml`` in the shape GitHub
  Classroom's autograding uses: one ``classroom-resources/autograding-command-grader``
  step per exercise (test-name, command, timeout in minutes, max-score; it reports
  its result as the step output ``result``) and the
  ``classroom-resources/autograding-grading-reporter`` step, which reads each
  runner's result from the environment variable ``<STEP ID in upper case>_RESULTS``
  and takes the step ids as ``runners`` (read from the actions' own sources:
  https://github.com/classroom-resources/autograding-command-grader and
  https://github.com/classroom-resources/autograding-grading-reporter).
  Points: 10 per exercise, 20 per defence lab (``POINTS``, ``LAB_POINTS``).

The actions are pinned to their current major versions (their tags: checkout,
setup-python and upload-artifact are at v7; the Classroom actions at v1). The
package requirement goes into YAML and into a shell line: it is validated as one
pip requirement made of harmless characters, and quoted for the shell.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from tutor import __version__
from tutor.course.model import Exercise
from tutor.errors import UsageError

PROVIDERS = ("github", "gitlab", "classroom")
PATHS = {"github": ".github/workflows/aisec.yml", "gitlab": ".gitlab-ci.yml",
         "classroom": ".github/workflows/classroom.yml"}
CHECKOUT = "actions/checkout@v7"
SETUP_PYTHON = "actions/setup-python@v7"
UPLOAD_ARTIFACT = "actions/upload-artifact@v7"
COMMAND_GRADER = "classroom-resources/autograding-command-grader@v1"
GRADING_REPORTER = "classroom-resources/autograding-grading-reporter@v1"
PYTHON = "3.12"
GITLAB_IMAGE = f"python:{PYTHON}-slim"
JUNIT, REPORT, SUMMARY = "aisec-junit.xml", "aisec-report.json", "aisec-summary.md"
ARTIFACT = "aisec-results"
POINTS, LAB_POINTS = 10, 20
TEST_TIMEOUT_MIN = 5  # per exercise in Classroom (the slowest grades in seconds)
JOB_TIMEOUT_MIN = 30
# A pip requirement: a name, extras, version specifiers, or "name @ URL". No quotes,
# no $ ` ; & | ( ) { } \ * ? or line breaks: nothing a shell or an Actions
# expression (${{ }}) would act on.
_SAFE_SPEC = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+=<>!~,\[\]@:/%# -]*")
SPEC_LIMIT = 300


def default_package() -> str:
    return f"aisec-tutor=={__version__}"


def check_package(spec: str) -> str:
    """``spec`` if it is one plain pip requirement; a usage error that says why not."""
    from packaging.requirements import InvalidRequirement, Requirement

    spec = spec.strip()
    if len(spec) > SPEC_LIMIT or not _SAFE_SPEC.fullmatch(spec):
        raise UsageError(f"--package {spec!r} is not one plain pip requirement: start with a "
                         "letter or digit, then use letters, digits and . _ - + = < > ! ~ , "
                         "[ ] @ : / % # only (no quotes, $, ;, "
                         "&, |, backslashes or line breaks), e.g. 'aisec-tutor==1.2.0' or "
                         "'aisec-tutor @ https://example.org/aisec_tutor-1.2.0-py3-none-any.whl'.")
    try:
        Requirement(spec)
    except InvalidRequirement as exc:
        raise UsageError(f"--package {spec!r} is not a pip requirement ({exc}). Give one, "
                         "e.g. 'aisec-tutor==1.2.0' or 'aisec-tutor @ URL-of-a-wheel'.") from None
    return spec


def install_line(package: str) -> str:
    return f"python -m pip install {shlex.quote(check_package(package))}"


def grade_line(track: str | None, outputs: bool = True,
               exercises: Sequence[str] = ()) -> str:
    words = ["aisec", "ci", "grade", *exercises]
    if track:
        words += ["--track", track]
    elif not exercises:  # the whole course, whatever track workspace.json is edited to name
        words.append("--all")
    if outputs:
        words += ["--junit", JUNIT, "--report", REPORT, "--summary", SUMMARY]
    return shlex.join(words)


@dataclass(frozen=True)
class Plan:
    """What goes into a workflow: the install, the track, the exercises (Classroom)."""

    package: str
    track: str | None
    exercises: tuple[Exercise, ...] = ()


def _setup_steps() -> list[dict[str, Any]]:
    # The token is not left in .git/config, where the learner's code (which runs
    # while grading) could read it.
    return [{"name": "Check out the learner's work", "uses": CHECKOUT,
             "with": {"persist-credentials": False}},
            {"name": "Set up Python", "uses": SETUP_PYTHON,
             "with": {"python-version": PYTHON}}]


def github(plan: Plan) -> dict[str, Any]:
    steps = [*_setup_steps(),
             {"name": "Install the pinned aisec-tutor", "run": install_line(plan.package)},
             {"name": "Grade with the installed course's hidden checks",
              "run": grade_line(plan.track)},
             {"name": "Keep the results", "if": "always()", "uses": UPLOAD_ARTIFACT,
              "with": {"name": ARTIFACT, "path": "\n".join((JUNIT, REPORT, SUMMARY)),
                       "if-no-files-found": "warn"}}]
    return {"name": "aisec grading", "on": ["push", "workflow_dispatch"],
            "permissions": {"contents": "read"},
            "jobs": {"grade": {"runs-on": "ubuntu-latest",
                               "timeout-minutes": JOB_TIMEOUT_MIN, "steps": steps}}}


def gitlab(plan: Plan) -> dict[str, Any]:
    return {"aisec-grade": {
        "image": GITLAB_IMAGE,
        "timeout": f"{JOB_TIMEOUT_MIN} minutes",
        # The clone may belong to another user than the job's (the runner's helper
        # clones it): trust this one folder, as AISEC_SAFE_WORKSPACES allows.
        "variables": {"AISEC_SAFE_WORKSPACES": "$CI_PROJECT_DIR"},
        "script": [install_line(plan.package), grade_line(plan.track)],
        "artifacts": {"when": "always", "name": ARTIFACT,
                      "paths": [JUNIT, REPORT, SUMMARY],
                      "reports": {"junit": JUNIT}}}}


def step_id(ex: Exercise) -> str:
    """A step id GitHub accepts (a letter or _, then letters, digits, - and _)."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", ex.id)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"x{cleaned}"


def points(ex: Exercise) -> int:
    return LAB_POINTS if ex.lab is not None else POINTS


def classroom(plan: Plan) -> dict[str, Any]:
    steps = [*_setup_steps(),
             {"name": "Install the pinned aisec-tutor", "run": install_line(plan.package)}]
    ids = []
    for ex in plan.exercises:
        ids.append(step_id(ex))
        steps.append({"name": f"{ex.id}: {ex.title}", "id": ids[-1], "uses": COMMAND_GRADER,
                      "with": {"test-name": ex.id, "command": grade_line(None, False, [ex.id]),
                               "timeout": TEST_TIMEOUT_MIN, "max-score": points(ex)}})
    steps.append({"name": "Autograding Reporter", "uses": GRADING_REPORTER,
                  "env": {f"{i.upper()}_RESULTS": f"${{{{steps.{i}.outputs.result}}}}"
                          for i in ids},
                  "with": {"runners": ",".join(ids)}})
    return {"name": "Autograding Tests", "on": ["push", "repository_dispatch"],
            "permissions": {"checks": "write", "actions": "read", "contents": "read"},
            "jobs": {"run-autograding-tests": {
                "runs-on": "ubuntu-latest",
                "if": "github.actor != 'github-classroom[bot]'",
                "steps": steps}}}


class _Dumper(yaml.SafeDumper):
    """Safe YAML, with text of several lines as a literal block (``|``)."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)

BUILDERS = {"github": github, "gitlab": gitlab, "classroom": classroom}


def render(provider: str, plan: Plan) -> str:
    """The workflow file's text: a comment that says what wrote it, then the YAML."""
    data = BUILDERS[provider](plan)
    head = (f"# Written by 'aisec ci init --provider {provider}' (aisec-tutor {__version__}).\n"
            "# It grades the exercise files with the hidden checks of the installed\n"
            f"# {plan.package.split()[0]}, never with files from this repository.\n")
    return head + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                            width=1000)
