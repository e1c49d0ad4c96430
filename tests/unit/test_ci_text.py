"""What a CI grading prints and writes from untrusted text: workflow commands and the
Markdown summary; and where ``graded_in`` comes from."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tutor.grader.result import CheckResult, GradeResult
from tutor.text.workflow_commands import command, escape_data, escape_property
from tutor.workshop.ci_env import GRADED_IN_KEYS, graded_in, provider
from tutor.workshop.ci_summary import SummaryContext, to_markdown


def unescape_data(text: str) -> str:
    """The runner's reading of a command's message (the toolkit's rules, reversed)."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def test_the_escaping_follows_githubs_rules():
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


@given(st.text())
def test_escaping_is_undone_exactly_by_the_runner(text):
    assert unescape_data(escape_data(text)) == text
    assert unescape_property(escape_property(text)) == text
    assert not re.search("[\r\n:,]", escape_property(text))


@given(st.text(), st.text(), st.text())
def test_a_command_is_one_line_with_exactly_the_properties_given(file, title, message):
    line = command("error", {"file": file, "title": title}, message)
    assert "\n" not in line and "\r" not in line
    head, _, _ = line[2:].partition("::")
    name, _, props = head.partition(" ")
    assert name == "error"
    keys = [part.split("=", 1)[0] for part in props.split(",")] if props else []
    assert set(keys) <= {"file", "title"} and len(keys) == len(set(keys))


def test_a_message_cannot_start_a_command_of_its_own():
    line = command("error", {"file": "x.py", "title": "t,file=evil.py"},
                   "done\n::add-mask::secret\r\n::stop-commands::tok")
    assert line == ("::error file=x.py,title=t%2Cfile=evil.py::"
                    "done%0A::add-mask::secret%0A::stop-commands::tok")


def test_control_characters_are_shown_not_sent_to_the_log():
    assert command("error", {}, "\x1b[2Jgone\u202e") == "::error::\\x1b[2Jgone\\u202e"


GITHUB = {"GITHUB_ACTIONS": "true", "GITHUB_SERVER_URL": "https://ghe.example/",
          "GITHUB_REPOSITORY": "org/repo", "GITHUB_RUN_ID": "9", "GITHUB_SHA": "abc"}


def test_graded_in_from_each_ci_and_none_elsewhere():
    assert provider({}) is None and graded_in({}) is None
    assert graded_in({"GITHUB_ACTIONS": "false", "GITLAB_CI": "yes"}) is None
    found = graded_in(GITHUB)
    assert found is not None and tuple(found) == GRADED_IN_KEYS
    assert found["run_url"] == "https://ghe.example/org/repo/actions/runs/9"
    lab = graded_in({"GITLAB_CI": "true", "CI_PROJECT_URL": "https://gl.example/g/p",
                     "CI_JOB_ID": "5", "CI_PROJECT_PATH": "g/p"})
    assert lab is not None and lab["provider"] == "gitlab"
    assert lab["run_url"] == "https://gl.example/g/p/-/jobs/5"  # CI_JOB_URL missing
    assert lab["commit"] == "" and all(isinstance(v, str) for v in lab.values())


def result(message: str) -> GradeResult:
    return GradeResult("luhn", "failed", [
        CheckResult("t1", "Accepts a valid number", "passed"),
        CheckResult("t2", "Rejects | a bad one", "failed", message)])


@given(st.text(max_size=300))
def test_the_summary_keeps_its_table_whatever_a_message_holds(message):
    text = to_markdown([result(message)], SummaryContext("1.0", "Course", "t", None))
    rows = [line for line in text.splitlines() if line.startswith("| `luhn`")]
    assert len(rows) == 1
    cells = re.split(r"(?<!\\)\|", rows[0])
    assert len(cells) == 6  # four cells between five unescaped bars


def test_the_summary_makes_no_link_image_or_html():
    hostile = "[click](https://evil.example) ![x](https://evil.example/p.png) <img src=x>"
    ci = {**graded_in(GITHUB), "run_url": "javascript:alert(1) [x](y)"}  # type: ignore[dict-item]
    text = to_markdown([result(hostile)], SummaryContext("1.0", "Course", None, ci))
    outside_code = re.sub(r"`[^`]*`", "", text)
    assert not re.search(r"(?<!\\)(\]\(|<img)", outside_code)
    assert "\\[click\\]" in text and "`javascript:alert(1) [x](y)`" in text
