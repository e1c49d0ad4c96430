"""``aisec check --junit FILE`` end to end: one suite per exercise, the same verdicts."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET


def test_check_all_writes_junit_with_the_same_verdicts(ws, aisec):
    (ws / "exercises" / "demo" / "adder.py").write_text("def add(a, b):\n    return a + b\n")
    result = aisec("check", "--all", "--json", "--junit", "out/results.xml", cwd=ws)
    assert result.code == 2 and "--junit out/results.xml: the folder out does not exist" in (
        result.err), result.err
    (ws / "out").mkdir()
    result = aisec("check", "--all", "--json", "--junit", "out/results.xml", cwd=ws)
    report = json.loads(result.out)
    assert "Wrote JUnit XML (2 exercises) to out/results.xml." in result.err
    root = ET.parse(ws / "out" / "results.xml").getroot()
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    for exercise in report["exercises"]:
        suite = suites[exercise["exercise"]]
        failed = [c for c in exercise["checks"] if c["outcome"] in ("failed", "error")]
        assert int(suite.get("failures")) == len(failed)
        assert int(suite.get("tests")) == len(exercise["checks"])
    assert suites["adder"].get("failures") == "0"


def test_check_one_writes_junit_too(ws, aisec):
    result = aisec("check", "adder", "--junit", "adder.xml", cwd=ws)
    assert result.code == 1
    root = ET.parse(ws / "adder.xml").getroot()
    assert [s.get("name") for s in root.findall("testsuite")] == ["adder"]
    assert root.find("testsuite/testcase/failure") is not None
