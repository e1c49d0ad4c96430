"""The one "did you mean ...?" helper: a close word, or nothing rather than a wild guess."""

from __future__ import annotations

import itertools

import pytest

from tutor.text.suggest import did_you_mean


def test_a_typo_gets_the_closest_choice():
    assert did_you_mean("addr", ["greeter", "adder", "luhn"]) == "adder"


def test_nothing_close_enough_gives_none():
    assert did_you_mean("zzz", ["adder", "greeter"]) is None


def test_no_choices_gives_none():
    assert did_you_mean("adder", []) is None


def test_an_exact_match_is_its_own_suggestion():
    assert did_you_mean("hints", ["hint", "hints", "title"]) == "hints"


def test_choices_may_be_any_iterable():
    assert did_you_mean("titel", (key for key in {"title", "file"})) == "title"


def test_the_answer_does_not_depend_on_the_order_of_the_choices():
    choices = ["cat", "bat", "hat", "rat"]  # each equally close to "at"
    answers = {did_you_mean("at", list(order)) for order in itertools.permutations(choices)}
    assert len(answers) == 1


@pytest.mark.parametrize(("cutoff", "expected"), [(0.9, None), (0.5, "adder")])
def test_the_cutoff_sets_how_close_a_suggestion_must_be(cutoff, expected):
    assert did_you_mean("addr", ["adder"], cutoff=cutoff) == expected


def test_the_default_cutoff_keeps_loose_resemblances_out():
    # "ab" and "abcd" share half their letters (ratio 0.67): close enough by default;
    # "a" and "abcd" (ratio 0.4) are not.
    assert did_you_mean("ab", ["abcd"]) == "abcd"
    assert did_you_mean("a", ["abcd"]) is None
