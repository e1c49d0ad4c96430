"""Gradings as JUnit XML, for CI test views (``aisec check --junit FILE``).

One ``<testsuite>`` per exercise, one ``<testcase>`` per hidden check, in the
shape the JUnit schema that Jenkins, GitLab and GitHub test reporters read
(junit-10.xsd; tests/fixtures/junit-10.xsd, checked by the tests) allows:

- a failed check is a ``<failure>`` with its message; a check that errored or
  never ran (the run timed out, the file did not import) is a ``<failure>`` whose
  ``type`` says so, since that schema has no ``<error>`` element;
- a skipped optional check is ``<skipped>``;
- a lab's two scores are ``<property>`` elements of its suite;
- what the learner's code printed is the suite's ``<system-out>``.

Messages and output come from learner code: characters that XML 1.0 cannot hold
(control characters, lone surrogates) are written as visible escapes, so the
file always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime, timezone

from tutor.grader.result import CheckResult, GradeResult

SUITES_NAME = "aisec"
MESSAGE_ATTRIBUTE = 500  # characters of a message in the failure's attribute; all in the text
# Everything XML 1.0 cannot carry (its Char production), surrogates included.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML cannot hold written as an escape."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def _testcase(exercise_id: str, check: CheckResult, run_message: str) -> ET.Element:
    case = ET.Element("testcase", {"classname": f"{SUITES_NAME}.{exercise_id}",
                                   "name": xml_text(f"{check.id}: {check.title}"),
                                   "time": _seconds(0)})
    if check.outcome == "skipped":
        ET.SubElement(case, "skipped", {"message": xml_text(check.message[:MESSAGE_ATTRIBUTE])})
    elif check.outcome != "passed":
        message = check.message if check.ran else (run_message or check.message)
        kind = check.outcome if check.ran else "not run"
        failure = ET.SubElement(case, "failure", {
            "type": kind, "message": xml_text(message.split("\n", 1)[0][:MESSAGE_ATTRIBUTE])})
        failure.text = xml_text(message)
    return case


def _suite(result: GradeResult, stamp: str) -> ET.Element:
    checks = result.checks
    failing = sum(c.outcome in ("failed", "error") for c in checks)
    suite = ET.Element("testsuite", {
        "name": result.exercise, "tests": str(len(checks)), "failures": str(failing),
        "errors": "0", "skipped": str(sum(c.outcome == "skipped" for c in checks)),
        "time": _seconds(result.duration_s), "timestamp": stamp})
    properties: list[tuple[str, str]] = [("status", result.status)]
    properties += [(c.score.label, f"{c.score.got}/{c.score.total}")
                   for c in checks if c.score is not None]
    listed = ET.SubElement(suite, "properties")
    for name, value in properties:
        ET.SubElement(listed, "property", {"name": name, "value": xml_text(value)})
    for check in checks:
        suite.append(_testcase(result.exercise, check, result.message))
    if result.output:
        ET.SubElement(suite, "system-out").text = xml_text(result.output)
    return suite


def to_junit(results: Sequence[GradeResult], now: datetime | None = None) -> bytes:
    """The gradings as one JUnit XML document, UTF-8, with its declaration."""
    stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    suites = [_suite(result, stamp) for result in results]
    root = ET.Element("testsuites", {
        "name": SUITES_NAME,
        "tests": str(sum(int(s.get("tests", "0")) for s in suites)),
        "failures": str(sum(int(s.get("failures", "0")) for s in suites)),
        "errors": "0",
        "time": _seconds(sum(r.duration_s for r in results))})
    root.extend(suites)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
