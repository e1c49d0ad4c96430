"""A report's `graded_in` (the CI run that says it made the report), read as untrusted.

`aisec ci grade` writes it; a learner can write any JSON, so the class summary checks
every field, drops a bad claim alone (the report then counts as self-reported, with a
warning) and never shows the run's address as a live link.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.functional.test_workshop import fake_report
from tests.unit.test_hostile_reports import markdown_problems
from tutor.workshop.class_summary import Loaded, clean_report, summarise, to_markdown

GOOD = {"provider": "github", "run_url": "https://github.com/org/ana/actions/runs/42",
        "repository": "org/ana", "commit": "a1" * 20, "run_id": "42", "tool_version": "0.4.0"}


def report(graded_in: Any = None, **extra: Any) -> dict[str, Any]:
    data = fake_report("Ana", {"adder": ("passed", 1, 0)})
    if graded_in is not None:
        data["graded_in"] = graded_in
    data.update(extra)
    return data


def test_a_valid_claim_is_kept_as_it_is():
    clean, note = clean_report(report(GOOD))
    assert clean["graded_in"] == GOOD and note is None


@pytest.mark.parametrize("claim", [
    {**GOOD, "provider": "gitlab", "run_url": "https://gitlab.example.org/g/p/-/pipelines/9",
     "commit": "0f" * 32},  # SHA-256 repositories have 64-hex commits
])
def test_gitlab_and_sha256_are_valid(claim):
    assert clean_report(report(claim))[0]["graded_in"] == claim


def test_no_field_or_null_means_self_reported_without_a_warning():
    for data in (report(), report(graded_in=None)):
        clean, note = clean_report(data)
        assert clean["graded_in"] is None and note is None
    clean, note = clean_report({**report(), "graded_in": None})
    assert clean["graded_in"] is None and note is None


BAD_CLAIMS = {
    "unknown provider": {**GOOD, "provider": "jenkins"},
    "provider not a string": {**GOOD, "provider": ["github"]},
    "plain http": {**GOOD, "run_url": "http://github.com/org/ana/actions/runs/42"},
    "javascript url": {**GOOD, "run_url": "javascript:alert(1)"},
    "url with a space": {**GOOD, "run_url": "https://github.com/x y"},
    "url with a backtick": {**GOOD, "run_url": "https://github.com/`x`"},
    "url with a newline": {**GOOD, "run_url": "https://github.com/x\n# heading"},
    "url with bidi": {**GOOD, "run_url": "https://github.com/\u202eevil"},
    "url too long": {**GOOD, "run_url": "https://github.com/" + "a" * 400},
    "commit too short": {**GOOD, "commit": "a1b2c3d"},
    "commit upper case": {**GOOD, "commit": "A1" * 20},
    "commit not hex": {**GOOD, "commit": "z" * 40},
    "commit a number": {**GOOD, "commit": 12345},
    "empty repository": {**GOOD, "repository": ""},
    "escape in repository": {**GOOD, "repository": "org/\x1b]0;pwned\x07"},
    "run id a number": {**GOOD, "run_id": 42},
    "tool version too long": {**GOOD, "tool_version": "1" * 101},
    "a field missing": {k: v for k, v in GOOD.items() if k != "commit"},
    "a list": [GOOD],
    "a string": "github",
    "true": True,
}


@pytest.mark.parametrize("claim", BAD_CLAIMS.values(), ids=BAD_CLAIMS.keys())
def test_a_bad_claim_is_dropped_alone_and_named(claim):
    clean, note = clean_report(report(claim))
    assert clean["graded_in"] is None, "a bad claim must count as self-reported"
    assert note is not None and "graded_in" in note and "self-reported" in note
    assert [e["id"] for e in clean["exercises"]] == ["adder"], "the rest of the report stays"
    assert clean["name"] == "Ana"


def test_unknown_extra_keys_are_left_out():
    clean, _ = clean_report(report({**GOOD, "extra": "<script>"}))
    assert clean["graded_in"] == GOOD


def loaded(*claims: Any) -> Loaded:
    result = Loaded()
    for number, claim in enumerate(claims):
        clean, _ = clean_report(report(claim, name=f"learner{number}"))
        result.reports.append((clean["name"], clean))
    return result


def test_the_summary_counts_ci_runs_and_self_reports():
    summary = summarise(loaded(GOOD, None, {**GOOD, "provider": "bad"}))
    assert (summary["from_ci"], summary["self_reported"]) == (1, 2)
    sources = [(s["name"], s["source"], s["graded_in"]) for s in summary["learner_summaries"]]
    assert sources == [("learner0", "ci", GOOD), ("learner1", "self-reported", None),
                       ("learner2", "self-reported", None)]
    text = to_markdown(summary)
    assert "1 from CI runs, 2 self-reported." in text
    assert f"| learner0 | 1/1 | CI run `{GOOD['run_url']}` |" in text
    assert "| learner1 | 1/1 | self-reported |" in text


def test_a_run_url_is_shown_as_code_never_as_a_link():
    # Brackets, parentheses and @ are allowed in a URL, so a valid one can look like a link.
    tricky = {**GOOD, "run_url": "https://github.com/[x](https://evil.example)@evil.example"}
    assert clean_report(report(tricky))[0]["graded_in"] == tricky
    text = to_markdown(summarise(loaded(tricky)))
    assert markdown_problems(text, {7, 3}) == [], text
