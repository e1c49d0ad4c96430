"""``aisec check --junit``: JUnit XML that the schema CI reporters read accepts, whatever
a learner's code printed or raised."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.grader.result import CheckResult, GradeResult, LabScore
from tutor.text.junit import to_junit, xml_text

xmlschema = pytest.importorskip("xmlschema")
SCHEMA = xmlschema.XMLSchema(str(Path(__file__).parents[1] / "fixtures" / "junit-10.xsd"))
WHEN = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)


def sample() -> list[GradeResult]:
    lab = GradeResult("lab", "failed", [
        CheckResult("test_types", "Returns text", "passed"),
        CheckResult("test_attacks_blocked", "Blocks the attacks", "failed",
                    "Attacks blocked: 8 of 16.\n- a1 got through",
                    score=LabScore("attacks blocked", 8, 16, 0.9, ("a1",))),
        CheckResult("test_live", "With a real model", "skipped", "needs a model", optional=True),
    ], duration_s=2.5, output="printed\x1b[31m red\x00")
    crashed = GradeResult("adder", "timeout", [
        CheckResult.not_run("test_add", "Adds"),
    ], duration_s=10.0, message="The checks ran past 10 s: look for a loop.")
    return [lab, crashed]


def test_the_junit_file_is_valid_and_says_what_happened():
    data = to_junit(sample(), WHEN)
    SCHEMA.validate(data.decode())
    root = ET.fromstring(data)
    assert (root.get("tests"), root.get("failures")) == ("4", "2")
    lab, adder = root.findall("testsuite")
    assert (lab.get("name"), lab.get("tests"), lab.get("failures"), lab.get("skipped")) == (
        "lab", "3", "1", "1")
    properties = {p.get("name"): p.get("value") for p in lab.iter("property")}
    assert properties == {"status": "failed", "attacks blocked": "8/16"}
    cases = lab.findall("testcase")
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("message") == "Attacks blocked: 8 of 16."
    assert failure.text == "Attacks blocked: 8 of 16.\n- a1 got through"
    assert cases[2].find("skipped") is not None
    assert lab.findtext("system-out") == "printed\\x1b[31m red\\x00"
    not_run = adder.find("testcase/failure")
    assert not_run is not None and not_run.get("type") == "not run"
    assert not_run.text == "The checks ran past 10 s: look for a loop."


@settings(max_examples=60, deadline=None)
@given(st.text(), st.text())
def test_any_text_from_learner_code_keeps_the_file_valid(message, output):
    result = GradeResult("x", "failed", [CheckResult("t", message[:20], "failed", message)],
                         output=output)
    SCHEMA.validate(to_junit([result], WHEN).decode())


def test_xml_text_escapes_only_what_xml_cannot_hold():
    assert xml_text("tab\tnl\ncr\r ok é 🔑") == "tab\tnl\ncr\r ok é 🔑"
    assert xml_text("a\x00b\x1bc\ud800d\ufffe") == "a\\x00b\\x1bc\\ud800d\\ufffe"
