"""Differential test: `luhn` reference solution against python-stdnum's stdnum.luhn.

stdnum.luhn is a general Luhn checksum over a string of digits: it knows nothing of
card lengths or of the separators people type. The reference solution's luhn_valid
adds those rules on top (see DIFFERENCES), so the comparison is: for every input,
luhn_valid(s) is True exactly when s has the documented card shape and stdnum.luhn
accepts its digits. Inputs are valid numbers made with stdnum.luhn.calc_check_digit,
then perturbed: one digit changed, neighbours swapped, separators (good and bad),
look-alike digits, whitespace variants, empty and very long strings.
"""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st
from reference import load_solution, load_starter_docstring
from stdnum import luhn as stdnum_luhn

solution = load_solution("luhn")
STARTER_DOC = load_starter_docstring("09_pii/luhn.py")

# What the reference solution does on purpose that stdnum.luhn does not (or the other way
# round), and why. Each entry names the text in the starter's docstring that tells learners.
DIFFERENCES = {
    "card length": (
        "stdnum.luhn checks a digit string of any length ('0' and '18' pass); luhn_valid "
        "also requires 13 to 19 digits, the card-number lengths, so that short codes and "
        "long references are not called cards.",
        "13 to 19 digits",
    ),
    "separators": (
        "stdnum.luhn only takes digits (callers compact first); luhn_valid accepts one "
        "space or one hyphen between two digits, the way people type card numbers, and "
        "rejects every other separator and any leading, trailing or doubled one.",
        "at most ONE space or ONE hyphen",
    ),
    "not a str": (
        "stdnum.luhn calls str() on its argument, so the int 4242424242424242 passes; "
        "luhn_valid answers False for anything that is not a str.",
        "None, bytes and int give False",
    ),
}

_CARD_SHAPE = re.compile(r"[0-9]+(?:[ -][0-9]+)*")  # the documented shape, from the starter

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


def expected(number: str) -> bool:
    """The library's verdict, with the documented differences applied."""
    if _CARD_SHAPE.fullmatch(number) is None:  # "separators"
        return False
    digits = number.replace(" ", "").replace("-", "")
    if not 13 <= len(digits) <= 19:  # "card length"
        return False
    return stdnum_luhn.is_valid(digits)


def with_check_digit(payload: str) -> str:
    return payload + stdnum_luhn.calc_check_digit(payload)


payloads = st.text(alphabet="0123456789", min_size=12, max_size=18)
valid_numbers = payloads.map(with_check_digit)


def test_differences_are_documented() -> None:
    for name, (why, phrase) in DIFFERENCES.items():
        assert phrase in STARTER_DOC, f"difference {name!r} ({why}) is not in the starter"


@given(valid_numbers)
def test_valid_numbers_agree(number: str) -> None:
    assert stdnum_luhn.is_valid(number)
    assert solution.luhn_valid(number) is True


@given(valid_numbers, st.data())
def test_one_digit_changed(number: str, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(number) - 1))
    new = data.draw(st.sampled_from("0123456789").filter(lambda d: d != number[index]))
    changed = number[:index] + new + number[index + 1 :]
    # Luhn catches every single wrong digit: the library and the solution both say no.
    assert not stdnum_luhn.is_valid(changed)
    assert solution.luhn_valid(changed) is False


@given(valid_numbers, st.data())
def test_neighbours_swapped(number: str, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(number) - 2))
    swapped = number[:index] + number[index + 1] + number[index] + number[index + 2 :]
    # Most swaps are caught, 09 <-> 90 is not: whatever the library says, the solution agrees.
    assert solution.luhn_valid(swapped) is expected(swapped)


@st.composite
def grouped(draw: st.DrawFn) -> str:
    """A valid number cut into groups joined by separators, good and bad."""
    number = draw(valid_numbers)
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=6)))
    parts = [number[i:j] for i, j in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    seps = st.sampled_from([" ", "-", " ", "-", "  ", "--", " -", "\t", "\u00a0", ".", "/",
                            "_", "\u200b", "\u2013", "\u3000", "\n"])
    text = parts[0]
    for part in parts[1:]:
        text += draw(seps) + part
    edge = st.sampled_from(["", "", "", " ", "-", "\n", "\u200d", "+"])
    return draw(edge) + text + draw(edge)


@given(grouped())
@example("4242 4242 4242 4242")
@example("3782 822463 10005")
@example("4242 4242 4242 4242\n")
@example(" 4242424242424242")
def test_separators(number: str) -> None:
    assert solution.luhn_valid(number) is expected(number)


@given(valid_numbers, st.sampled_from([FULLWIDTH, ARABIC_INDIC, DEVANAGARI]), st.data())
def test_lookalike_digits(number: str, table: dict[int, str], data: st.DataObject) -> None:
    # Translate all digits, or just one: the library and the solution both refuse.
    if data.draw(st.booleans()):
        lookalike = number.translate(table)
    else:
        index = data.draw(st.integers(0, len(number) - 1))
        lookalike = number[:index] + number[index].translate(table) + number[index + 1 :]
    assert not stdnum_luhn.is_valid(lookalike)
    assert solution.luhn_valid(lookalike) is False


@given(st.text(alphabet="0123456789", min_size=0, max_size=40))
@example("")
@example("0")
@example("18")
@example("0" * 13)
@example("4" * 100_000)
def test_any_length(digits: str) -> None:
    # Every length from 0 to 40, valid or not: the solution follows the library inside
    # 13..19 digits and says no outside ("card length").
    number = with_check_digit(digits[:-1]) if digits else digits
    assert solution.luhn_valid(number) is expected(number)
    assert solution.luhn_valid(digits) is expected(digits)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
@example("4242424242424242\x00")
@example("42424242424242４2")
def test_arbitrary_text(text: str) -> None:
    assert solution.luhn_valid(text) is expected(text)


def test_not_a_str() -> None:
    assert stdnum_luhn.is_valid(4242424242424242)  # str() of the int passes
    for value in (4242424242424242, None, b"4242424242424242", ["4242424242424242"]):
        assert solution.luhn_valid(value) is False


@st.composite
def text_with_cards(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Prose with valid numbers in it, each written as one group or in groups of four."""
    words = st.sampled_from(["card", "ref", "exp", "cvc", "id:", "(", ")", "and",
                             "x1", "order"])
    cards: list[str] = []
    pieces: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        pieces.append(" ".join(draw(st.lists(words, min_size=1, max_size=3))))
        number = draw(valid_numbers)
        if draw(st.booleans()):
            sep = draw(st.sampled_from([" ", "-"]))
            number = sep.join(number[i : i + 4] for i in range(0, len(number), 4))
        cards.append(number)
        pieces.append(number)
    pieces.append("end.")
    return " ".join(pieces), cards


@given(text_with_cards())
def test_find_cards_finds_library_valid_numbers(case: tuple[str, list[str]]) -> None:
    text, cards = case
    found = solution.find_cards(text)
    assert found == cards
    for card in found:
        assert stdnum_luhn.is_valid(card.replace(" ", "").replace("-", ""))
