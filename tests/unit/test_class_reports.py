"""Reading a room's reports fast changes nothing that is read: the shortcuts taken for
a thousand reports (the parser's own ints, the collector held off, one pass per
exercise) give what the plain way gives."""

from __future__ import annotations

import gc
import json
import statistics
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.functional.test_workshop import fake_report
from tutor.workshop.class_reports import gc_paused, load_reports
from tutor.workshop.class_summary import Loaded, clean_report, summarise

needs_digit_limit = pytest.mark.skipif(not hasattr(sys, "set_int_max_str_digits"),
                                       reason="Python without a limit on integer digits")


def test_the_collector_is_held_off_only_inside_and_restored_after_an_error():
    assert gc.isenabled()
    with pytest.raises(KeyError), gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested: the inner block leaves it to the outer one
            pass
        assert not gc.isenabled()
        raise KeyError("boom")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_others_froze_stays_frozen_and_nothing_of_ours_does():
    assert gc.get_freeze_count() == 0
    with gc_paused():
        made = [[i] for i in range(1000)]
    assert gc.get_freeze_count() == 0 and gc.is_tracked(made[0])
    gc.freeze()  # as a fork server does before forking
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            made += [[i] for i in range(1000)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def numbers_folder(root: Path) -> Path:
    """Reports whose numbers are too long to be counts, seconds or versions."""
    folder = root / "reports"
    folder.mkdir()
    base = json.dumps(fake_report("Ada", {"adder": ("failed", 7, 0), "greeter": ("passed", 1, 0)}))
    long_numbers = {"31-digits": "1" * 31, "digit-limit": "9" * 4301, "huge": "8" * 10_000,
                    "negative": "-" + "2" * 40, "thirty": "3" * 30}
    for name, number in long_numbers.items():
        (folder / f"attempts-{name}.json").write_text(
            base.replace('"attempts": 7', f'"attempts": {number}'))
        (folder / f"version-{name}.json").write_text(
            base.replace('"schema_version": 1', f'"schema_version": {number}'))
        (folder / f"lab-{name}.json").write_text(
            base.replace('"hints_revealed": 0', f'"hints_revealed": 0, "lab_blocked": '
                         f'[1, {number}], "lab_useful": [{number}, {number}]', 1))
    return folder


def test_long_numbers_are_refused_and_named_like_any_bad_value(tmp_path):
    loaded = load_reports([numbers_folder(tmp_path)])
    skipped = {Path(f).name: why for f, why in loaded.skipped}
    dropped = {Path(f).name: why for f, why in loaded.dropped}
    for name in ("31-digits", "digit-limit", "huge", "negative"):
        assert "not a valid version number" in skipped[f"version-{name}.json"]
        assert dropped[f"attempts-{name}.json"] == "invalid values dropped: adder.attempts"
    assert "newer than this aisec-tutor" in skipped["version-thirty.json"]
    assert dropped["lab-huge.json"] == ("invalid values dropped: adder.lab_blocked, "
                                        "adder.lab_useful")
    assert len(loaded.reports) == 10  # the attempts and lab files, their bad values dropped


@needs_digit_limit
def test_the_parsers_own_ints_read_every_number_as_the_bounded_reading_does(tmp_path):
    folder = numbers_folder(tmp_path)
    fast = load_reports([folder])
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # no limit: every number goes through bounded_int
    try:
        bounded = load_reports([folder])
    finally:
        sys.set_int_max_str_digits(limit)
    assert fast == bounded


def test_a_report_keeps_at_most_a_thousand_exercise_entries():
    # a 1 MB file of tiny entries was kept as some 20 MB of checked entries: a room of
    # them would not fit in memory
    report = fake_report("Ada", {f"ex{i}": ("failed", 1, 0) for i in range(1200)})
    report["exercises"][0]["attempts"] = -1
    cleaned, note = clean_report(report)
    assert [e["id"] for e in cleaned["exercises"]] == [f"ex{i}" for i in range(1000)]
    assert note == ("200 exercise entries beyond the first 1,000 dropped; "
                    "invalid values dropped: ex0.attempts")
    report["exercises"] = report["exercises"][:1001]
    assert clean_report(report)[1] == ("1 exercise entry beyond the first 1,000 dropped; "
                                       "invalid values dropped: ex0.attempts")


# -- the summary against a plain recount ---------------------------------------------------

STATUS = st.sampled_from(["passed", "failed", "pending", "bogus"])
PAIR = st.one_of(st.none(), st.tuples(st.integers(0, 5), st.integers(0, 5)).map(list))
ENTRY = st.fixed_dictionaries(
    {"id": st.sampled_from(["adder", "greeter", "luhn", "lab"]), "status": STATUS,
     "attempts": st.integers(-1, 7), "hints_revealed": st.integers(0, 3)},
    optional={"time_to_pass_s": st.one_of(st.none(), st.integers(0, 4000)),
              "in_track": st.booleans(), "solution_viewed_before_pass": st.booleans(),
              "lab_blocked": PAIR, "lab_useful": PAIR,
              "lab_attacks_through": st.lists(st.sampled_from("abcdefg"), max_size=8)})
ROOM = st.lists(st.lists(ENTRY, max_size=6), max_size=6)


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _share(pair: list[int] | None) -> float | None:
    return 100 * pair[0] / pair[1] if pair and pair[1] else None


def recount(ex_id: str, rows: list[tuple[str, dict]], learners: int) -> dict:
    """One exercise of the summary, counted the plain way."""
    entries = [e for _, e in rows]
    passed = [e for e in entries if e["status"] == "passed"]
    tried = [e for e in entries if e["attempts"] > 0]
    figures = {
        "id": ex_id, "passed": len(passed), "learners": learners,
        "percent": round(100 * len(passed) / learners, 1) if learners else 0.0,
        "tried": len(tried),
        "stuck": sum(1 for e in entries if e["status"] != "passed" and e["attempts"] >= 1),
        "stuck_learners": [n for n, e in rows if e["status"] != "passed" and e["attempts"] >= 1],
        "median_attempts": _median([float(e["attempts"]) for e in tried]),
        "median_hints": _median([float(e["hints_revealed"]) for e in tried]),
        "median_minutes_to_pass": _median([e["time_to_pass_s"] / 60 for e in passed
                                           if e["time_to_pass_s"] is not None]),
        "solutions_viewed_before_pass": sum(e["solution_viewed_before_pass"] for e in entries),
    }
    scored = [e for e in entries if e["lab_blocked"] is not None or e["lab_useful"] is not None]
    if scored:
        counts: dict[str, int] = {}
        for e in scored:
            for case in set(e["lab_attacks_through"]):
                counts[case] = counts.get(case, 0) + 1
        figures["lab"] = {
            "learners_scored": len(scored),
            "median_blocked_percent": _median([s for e in scored
                                               if (s := _share(e["lab_blocked"])) is not None]),
            "median_useful_percent": _median([s for e in scored
                                              if (s := _share(e["lab_useful"])) is not None]),
            "attacks_through": [{"attack": c, "learners": n} for c, n in
                                sorted(counts.items(), key=lambda i: (-i[1], i[0]))[:5]]}
    return figures


@settings(max_examples=150, deadline=None)
@given(ROOM)
def test_the_one_pass_summary_agrees_with_a_plain_recount(room):
    loaded = Loaded()
    for number, entries in enumerate(room):
        report, _ = clean_report({**fake_report(f"L{number}", {}), "exercises": entries})
        loaded.reports.append((f"L{number}", report))
    summary = summarise(loaded)
    rows: dict[str, list[tuple[str, dict]]] = {}
    for label, report in loaded.reports:
        for entry in report["exercises"]:
            rows.setdefault(entry["id"], []).append((label, entry))
    expected = [recount(ex_id, ex_rows, len(room)) for ex_id, ex_rows in rows.items()
                if any(e["in_track"] or e["attempts"] > 0 for _, e in ex_rows)]
    # json: 2 and 2.0, or 1 and True, would pass ==
    assert json.dumps(summary["exercises"]) == json.dumps(expected)
    for (label, report), learner in zip(loaded.reports, summary["learner_summaries"],
                                        strict=True):
        stuck = [e["id"] for e in report["exercises"]
                 if e["status"] != "passed" and e["attempts"] >= 1]
        many = [e["id"] for e in report["exercises"]
                if e["status"] != "passed" and e["attempts"] >= 5]
        assert learner == {"name": label, "total": len(report["exercises"]),
                           "passed": sum(e["status"] == "passed" for e in report["exercises"]),
                           "track": None, "track_passed": None, "track_total": None,
                           "stuck_on": stuck, "may_need_help": bool(many),
                           "many_attempts_on": many, "source": "self-reported",
                           "graded_in": None}
