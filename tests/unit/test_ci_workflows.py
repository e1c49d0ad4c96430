"""The workflows ``aisec ci init`` writes: valid YAML with the expected steps, a pinned
install, and a --package that cannot reach the shell or an Actions expression."""

from __future__ import annotations

import shlex

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tutor import __version__
from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course
from tutor.course.model import Course
from tutor.errors import UsageError
from tutor.workshop.ci_workflows import (
    CHECKOUT,
    COMMAND_GRADER,
    GRADING_REPORTER,
    LAB_POINTS,
    POINTS,
    SETUP_PYTHON,
    UPLOAD_ARTIFACT,
    Plan,
    check_package,
    default_package,
    install_line,
    render,
)

PINNED = f"python -m pip install aisec-tutor=={__version__}"


def test_github_workflow_steps():
    data = yaml.safe_load(render("github", Plan(default_package(), "half-day")))
    assert data["on"] == ["push", "workflow_dispatch"]
    assert data["permissions"] == {"contents": "read"}
    steps = data["jobs"]["grade"]["steps"]
    assert [s.get("uses") for s in steps] == [CHECKOUT, SETUP_PYTHON, None, None,
                                               UPLOAD_ARTIFACT]
    assert steps[0]["with"] == {"persist-credentials": False}
    assert steps[2]["run"] == PINNED
    assert steps[3]["run"] == ("aisec ci grade --track half-day --junit aisec-junit.xml "
                               "--report aisec-report.json --summary aisec-summary.md")
    assert steps[4]["if"] == "always()"
    assert steps[4]["with"]["path"].split() == ["aisec-junit.xml", "aisec-report.json",
                                                "aisec-summary.md"]


def test_gitlab_job_keeps_artifacts_always_and_declares_junit():
    job = yaml.safe_load(render("gitlab", Plan(default_package(), None)))["aisec-grade"]
    assert job["script"] == [PINNED, "aisec ci grade --all --junit aisec-junit.xml --report "
                                     "aisec-report.json --summary aisec-summary.md"]
    assert job["variables"] == {"AISEC_SAFE_WORKSPACES": "$CI_PROJECT_DIR"}
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"] == {"junit": "aisec-junit.xml"}


def test_classroom_one_graded_test_per_exercise_and_the_reporter(real_course: Course):
    exercises = tuple(ex for ex in real_course.exercises
                      if ex.id in ("mask_secret", "prompt_leak"))
    data = yaml.safe_load(render("classroom", Plan(default_package(), None, exercises)))
    job = data["jobs"]["run-autograding-tests"]
    assert data["on"] == ["push", "repository_dispatch"]
    assert job["if"] == "github.actor != 'github-classroom[bot]'"
    graders = [s for s in job["steps"] if s.get("uses") == COMMAND_GRADER]
    assert [(g["id"], g["with"]["command"], g["with"]["max-score"]) for g in graders] == [
        ("mask_secret", "aisec ci grade mask_secret", POINTS),
        ("prompt_leak", "aisec ci grade prompt_leak", LAB_POINTS)]
    reporter = job["steps"][-1]
    assert reporter["uses"] == GRADING_REPORTER
    assert reporter["with"]["runners"] == "mask_secret,prompt_leak"
    # The reporter reads <RUNNER IN UPPER CASE>_RESULTS for each runner.
    assert reporter["env"] == {
        "MASK_SECRET_RESULTS": "${{steps.mask_secret.outputs.result}}",
        "PROMPT_LEAK_RESULTS": "${{steps.prompt_leak.outputs.result}}"}


@pytest.mark.parametrize("spec", ["aisec-tutor==1.2.0", "aisec-tutor>=1.2,<2",
                                  "aisec-tutor[serve]~=1.2",
                                  "aisec-tutor @ https://example.org/a/aisec_tutor-1.2-py3-none"
                                  "-any.whl#sha256=00ff"])
def test_plain_requirements_are_taken_and_quoted_as_one_word(spec):
    line = install_line(spec)
    assert shlex.split(line) == ["python", "-m", "pip", "install", spec]


@given(st.text(min_size=1, max_size=80))
def test_whatever_is_accepted_is_one_shell_word_without_expressions(spec):
    try:
        accepted = check_package(spec)
    except UsageError:
        return
    words = shlex.split(install_line(accepted))
    assert words[4:] == [accepted] and len(words) == 5
    assert not any(c in accepted for c in "$`;&|\\'\"\n\r{}()*?") and not accepted.startswith("-")
    assert yaml.safe_load(render("gitlab", Plan(accepted, None)))["aisec-grade"]["script"][
        0] == install_line(accepted)


@pytest.mark.parametrize("spec", ["", "x; rm -rf /", "x && id", "x | sh", "$(id)", "`id`",
                                  "x\ny", "'x'", "--index-url http://e.example x",
                                  "x ${{ github.token }}", "x==1 y==2", "x; python_version>'3'"])
def test_anything_else_is_refused(spec):
    with pytest.raises(UsageError, match="--package"):
        check_package(spec)


def test_init_git_ignores_what_ci_grade_writes():
    """A local 'aisec ci grade' leaves nothing for the learner to commit by mistake."""
    from tutor.learner.git_repo import IGNORED
    from tutor.workshop.ci_workflows import JUNIT, REPORT, SUMMARY

    ignored = IGNORED.splitlines()
    assert {JUNIT, REPORT, SUMMARY} <= set(ignored)


def test_a_workspace_without_a_track_is_graded_whole_whatever_workspace_json_says(tmp_path):
    """A learner who writes a short track into workspace.json does not shrink CI's grading."""
    import json

    from tutor.learner.ci_workspace import open_for_ci
    from tutor.learner.workspace import Workspace

    Workspace.create(tmp_path / "ws", load_course(default_course_dir()), custom_course=False)
    config = tmp_path / "ws" / ".aisec" / "workspace.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), "track": "intro-90"}))
    line = yaml.safe_load(render("github", Plan(default_package(), None)))
    grade = next(s["run"] for s in line["jobs"]["grade"]["steps"] if "ci grade" in s.get("run", ""))
    assert " --all " in f"{grade} "
    whole, _ = open_for_ci(tmp_path / "ws", tmp_path / "state", config_track=False)
    short, _ = open_for_ci(tmp_path / "ws", tmp_path / "state2")
    assert len(whole.track_exercises) == len(whole.course.exercises)
    assert len(short.track_exercises) < len(whole.track_exercises)
