"""The verdict: built from the checks expected and the events a run wrote, never from trust.

Events are written here exactly as the plugin writes them (one JSON line each),
so these tests pin the contract between the plugin and the runner.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tutor.errors import ContentError
from tutor.grader.checks import CheckInfo
from tutor.grader.events import Event, Stop
from tutor.grader.result import NOT_RUN
from tutor.grader.verdict import verdict

CHECK_FILE = Path("tests/checks/test_adder.py")
EXPECTED = [
    CheckInfo("test_small", "Adds small numbers", 4),
    CheckInfo("test_negative", "Adds negative numbers", 9),
    CheckInfo("test_live", "Works with a real model", 14, optional=True),
]


def event(kind: Event, **fields: Any) -> dict[str, Any]:
    return json.loads(kind.line(**fields))


def started(check: str) -> dict[str, Any]:
    return event(Event.START, nodeid=f"x::{check}", check=check)


def result(check: str, outcome: str = "passed", message: str = "", when: str = "call",
           ran: bool = True) -> dict[str, Any]:
    return event(Event.RESULT, nodeid=f"x::{check}", check=check, outcome=outcome,
                 message=message, when=when, ran=ran)


def run(*checks: dict[str, Any], finished: int | None = 0) -> list[dict[str, Any]]:
    events = [event(Event.COLLECTED, count=3), event(Event.LOAD_START, path="adder.py"),
              event(Event.LOAD_DONE), *checks]
    if finished is not None:
        events.append(event(Event.FINISHED, exitstatus=finished))
    return events


def judge(events: list[dict[str, Any]], returncode: int | None = 0,
          stopped: Stop | None = None):
    return verdict("adder", CHECK_FILE, EXPECTED, events, returncode, stopped, timeout=4)


ALL_PASS = (started("test_small"), result("test_small"),
            started("test_negative"), result("test_negative"),
            result("test_live", "skipped", "no model", when="setup"))


def test_every_required_check_passing_is_a_pass_and_optional_ones_do_not_count():
    verdict_ = judge(run(*ALL_PASS))
    assert verdict_.status == "passed" and verdict_.message == ""
    assert [c.outcome for c in verdict_.checks] == ["passed", "passed", "skipped"]
    assert verdict_.counts() == (2, 2)


def test_a_check_that_never_reported_did_not_run_and_fails_the_exercise():
    verdict_ = judge(run(started("test_small"), result("test_small")))
    assert verdict_.status == "failed"
    missing = verdict_.checks[1]
    assert (missing.outcome, missing.ran, missing.message) == ("error", False, NOT_RUN)
    assert verdict_.checks[0].ran


def test_a_file_that_does_not_import_is_said_once_and_no_check_ran():
    failed_import = [event(Event.COLLECTED, count=3), event(Event.LOAD_START, path="adder.py"),
                     event(Event.LOAD_ERROR, message="adder.py:1: SyntaxError"),
                     *(result(c.id, "error", "Not run: adder.py:1: SyntaxError", "setup",
                              ran=False) for c in EXPECTED),
                     event(Event.FINISHED, exitstatus=1)]
    verdict_ = judge(failed_import)
    assert verdict_.status == "error" and verdict_.message == "adder.py:1: SyntaxError"
    assert all(not c.ran and c.outcome == "error" and c.message == NOT_RUN
               for c in verdict_.checks)


def test_the_worst_outcome_of_a_parametrised_check_wins():
    verdict_ = judge(run(result("test_small"), result("test_small", "failed", "add(0, 1)"),
                         result("test_small", "skipped", "why"), *ALL_PASS[2:]))
    assert verdict_.status == "failed"
    assert (verdict_.checks[0].outcome, verdict_.checks[0].message) == ("failed", "add(0, 1)")


def test_a_skipped_check_never_counts_as_passed_and_says_why():
    verdict_ = judge(run(result("test_small", "skipped", "nope"), *ALL_PASS[2:]))
    assert verdict_.status == "failed"
    assert "only when every check runs and passes" in verdict_.checks[0].message
    assert "(nope)" in verdict_.checks[0].message


def test_a_check_the_static_reading_missed_is_still_shown():
    verdict_ = judge(run(*ALL_PASS, result("test_generated", "failed", "boom")))
    assert verdict_.checks[-1].id == "test_generated"
    assert verdict_.checks[-1].outcome == "failed"
    assert verdict_.status == "failed"


def test_a_timeout_names_the_check_that_was_running():
    verdict_ = judge(run(started("test_small"), finished=None), returncode=-9,
                     stopped=Stop.TIMEOUT)
    assert verdict_.status == "timeout"
    assert "within 4 s" in verdict_.message
    assert "during the check 'Adds small numbers'" in verdict_.message
    assert verdict_.checks[0].message == "This check was running when the run was stopped."
    assert verdict_.checks[0].ran and not verdict_.checks[1].ran


def test_a_timeout_while_importing_says_so():
    events = [event(Event.COLLECTED, count=3), event(Event.LOAD_START, path="adder.py")]
    verdict_ = judge(events, returncode=-9, stopped=Stop.TIMEOUT)
    assert "while your file was being imported" in verdict_.message


@pytest.mark.parametrize("stop, words", [
    (Stop.CANCELLED, "Cancelled"),
    (Stop.INTERRUPTED, "Interrupted"),
    (Stop.STARTUP, "could not even start"),
])
def test_a_stopped_run_is_an_error_whatever_it_reported(stop, words):
    verdict_ = judge(run(*ALL_PASS), stopped=stop)
    assert verdict_.status == "error" and words in verdict_.message


@pytest.mark.parametrize("returncode, words", [
    (-9, "SIGKILL"),
    (-11, "recursion far too deep"),
    (0, "os._exit()"),
])
def test_a_run_that_never_finished_is_a_crash_not_a_pass(returncode, words):
    verdict_ = judge(run(*ALL_PASS, finished=None), returncode=returncode)
    assert verdict_.status == "error" and words in verdict_.message


def test_pytest_ending_abnormally_is_an_error():
    verdict_ = judge(run(*ALL_PASS, finished=2))
    assert verdict_.status == "error" and "pytest status 2" in verdict_.message


def test_threads_left_running_are_noted_on_a_pass():
    events = run(*ALL_PASS)
    events.insert(-1, event(Event.THREADS_LEFT, names=["poller", "watcher"]))
    verdict_ = judge(events)
    assert verdict_.status == "passed"
    assert "poller, watcher" in verdict_.message


def test_lines_that_name_no_known_event_are_ignored():
    events = run(*ALL_PASS)
    events[3:3] = [{"event": "bogus"}, {"event": ["start"]}, {"no": "event"}]
    assert judge(events).status == "passed"


def test_a_check_file_that_does_not_load_is_a_course_problem():
    events = [event(Event.COLLECT_ERROR, message="Traceback...\nNameError: name 'x'")]
    with pytest.raises(ContentError) as raised:
        judge(events)
    assert "could not be loaded: NameError: name 'x'" in str(raised.value)


def test_the_json_contract_says_whether_each_check_ran():
    data = judge(run(started("test_small"), result("test_small"))).to_json()
    assert {"id", "title", "outcome", "message", "optional", "ran"} <= set(data["checks"][0])
    assert [c["ran"] for c in data["checks"]] == [True, False, False]
    assert data["checks"][1]["message"] == NOT_RUN


def test_a_timeout_with_capped_output_names_the_prints_not_a_loop():
    events = run(started("test_small"), finished=None)
    flooded = verdict("adder", CHECK_FILE, EXPECTED, events, None, Stop.TIMEOUT, timeout=4,
                      printed_over=65536)
    assert flooded.status == "timeout"
    assert "printed more than 65,536 characters before the time limit" in flooded.message
    assert "remove or reduce the print() calls" in flooded.message
    assert "loop" not in flooded.message
    quiet = judge(events, returncode=None, stopped=Stop.TIMEOUT)
    assert "loop that never ends" in quiet.message
