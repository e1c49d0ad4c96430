"""Differential test: `luhn` reference solution against python-stdnum's stdnum.luhn.

stdnum.luhn is a general Luhn checksum over a string of digits: it knows nothing of
card lengths or of the separators people type. The reference solution's luhn_valid
adds those rules on top (see DIFFERENCES), so the comparison is: for every input,
luhn_valid(s) is True exactly when s has the documented card shape and stdnum.luhn
accepts its digits. Inputs are valid numbers made with stdnum.luhn.calc_check_digit,
then perturbed: one digit changed, neighbours swapped, separators (good and bad),
look-alike digits, whitespace variants, empty and very long strings.

find_cards is compared three ways on generated text (prose with cards, dates, codes,
references, good and bad separators, glued letters and look-alike digits, and long
runs of short groups): with the documented rules written out plainly on top of
stdnum.luhn, and with a copy of the old find_cards (before it was made linear), which
must give the same answers. luhn_sums is compared with stdnum.luhn on every stretch.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
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


# --- find_cards: the linear scan against the rules and the old implementation ----------

# The old reference find_cards, kept verbatim as an oracle: for every group it ran
# luhn_valid on every stretch of up to 19 digits (up to 20 checks of up to 19 digits per
# group, about 33 s on 440 KB of "1 1 1 ..."). The new one must give the same answers.
_OLD_CARD_SHAPE = re.compile(r"[0-9]+(?:[ -][0-9]+)*")
_OLD_GROUP = re.compile(r"(?<!\w)[0-9]+(?!\w)")
_OLD_SEPARATORS = (" ", "-")


def _old_checksum_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - ord("0")
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _old_luhn_valid(number: str) -> bool:
    if not isinstance(number, str) or _OLD_CARD_SHAPE.fullmatch(number) is None:
        return False
    digits = number.replace(" ", "").replace("-", "")
    return 13 <= len(digits) <= 19 and _old_checksum_ok(digits)


def old_find_cards(text: str) -> list[str]:
    groups = list(_OLD_GROUP.finditer(text))
    found: list[str] = []
    i = 0
    while i < len(groups):
        start = groups[i].start()
        best_end: int | None = None
        digits = 0
        for j in range(i, len(groups)):
            if j > i and text[groups[j - 1].end() : groups[j].start()] not in _OLD_SEPARATORS:
                break
            digits += groups[j].end() - groups[j].start()
            if digits > 19:
                break
            if _old_luhn_valid(text[start : groups[j].end()]):
                best_end, next_i = groups[j].end(), j + 1
        if best_end is None:
            i += 1
        else:
            found.append(text[start:best_end])
            i = next_i
    return found


def stdnum_find_cards(text: str) -> list[str]:
    """The starter's rules for find_cards, written out plainly, with stdnum's checksum."""
    groups = [(m.start(), m.end()) for m in _OLD_GROUP.finditer(text)]
    found: list[str] = []
    i = 0
    while i < len(groups):
        # Rule 2: the stretch may reach group j if every gap up to it is one separator.
        reach = i
        while reach + 1 < len(groups) and text[groups[reach][1] : groups[reach + 1][0]] in (
            " ", "-"
        ):
            reach += 1
        # Rule 3: the longest stretch from group i with 13 to 19 digits that stdnum accepts.
        cards = [
            j for j in range(i, reach + 1)
            if 13 <= sum(end - start for start, end in groups[i : j + 1]) <= 19
            and stdnum_luhn.is_valid("".join(text[a:b] for a, b in groups[i : j + 1]))
        ]
        if cards:
            found.append(text[groups[i][0] : groups[cards[-1]][1]])
            i = cards[-1] + 1
        else:
            i += 1
    return found


def _grouped(number: str, draw: st.DrawFn) -> str:
    """`number` cut into groups the way people type it, or left whole."""
    style = draw(st.sampled_from(["whole", "fours", "amex", "random"]))
    if style == "whole":
        return number
    if style == "fours":
        cuts = list(range(4, len(number), 4))
    elif style == "amex":
        cuts = [4, 10] if len(number) > 10 else [4]
    else:
        cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=5)))
    parts = [number[i:j] for i, j in zip([0, *cuts], [*cuts, len(number)], strict=True)]
    sep = draw(st.sampled_from([" ", "-"]))
    return sep.join(parts)


# Pieces of ordinary text: words, short numbers, dates, codes, and some that touch or
# look like digits without being ASCII digit groups.
_WORDS = ["card", "exp", "cvc", "ref", "order", "id:", "qty", "(", ")", ",", ".", "x1",
          "ID", "abc", "_", "٤", "４２", "\u200b", "Grüße", "#", "+1", "12/34", "2024-05-02"]
_NUMBERS = st.text(alphabet="0123456789", min_size=1, max_size=25)
_SEPS = st.sampled_from([" ", " ", " ", "-", "  ", "--", " - ", "\n", "/", ".", "_", "\t",
                         "\u00a0", "a", "٤", ""])


@st.composite
def ordinary_text(draw: st.DrawFn) -> str:
    pieces: list[str] = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["word", "number", "card", "card"]))
        if kind == "word":
            pieces.append(draw(st.sampled_from(_WORDS)))
        elif kind == "number":
            pieces.append(draw(_NUMBERS))
        else:
            pieces.append(_grouped(draw(valid_numbers), draw))
        pieces.append(draw(_SEPS))
    return "".join(pieces)


@st.composite
def runs_of_short_groups(draw: st.DrawFn) -> str:
    """Long runs of one- to four-digit groups: many overlapping stretches to choose from."""
    groups = draw(st.lists(st.text(alphabet="0123456789", min_size=1, max_size=4),
                           min_size=8, max_size=60))
    text = groups[0]
    for group in groups[1:]:
        text += draw(st.sampled_from([" ", "-", " ", "-", " ", "-", "  ", "x"])) + group
    return draw(st.sampled_from(["", "a", " ", "card "])) + text + draw(
        st.sampled_from(["", "a", " ", ".", " 12/34"]))


@settings(max_examples=100)  # three implementations per example: keeps the file fast
@given(ordinary_text())
@example("card=4242424242424242 exp=12/34, ref 4242424242424242424242424")
@example("New card: 3782 822463 10005 (Amex). Old: 5555-5555-5555-4444.")
@example("4242 4242 4242 4242 123")
@example("Qty 3 4242 4242 4242 4242")
@example("ID4242424242424242 ٤4242424242424242 card_4242424242424242")
def test_find_cards_ordinary_text(text: str) -> None:
    found = solution.find_cards(text)
    assert found == old_find_cards(text), text
    assert found == stdnum_find_cards(text), text


@settings(max_examples=100)
@given(runs_of_short_groups())
@example("1 " * 40 + "x 4242 4242 4242 4242")
@example("0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0")
@example("4242 4242 4242 4242 4242 4242 4242 4242")
def test_find_cards_runs_of_short_groups(text: str) -> None:
    found = solution.find_cards(text)
    assert found == old_find_cards(text), text
    assert found == stdnum_find_cards(text), text


@given(st.text(alphabet="0123456789", max_size=40))
def test_luhn_sums_agrees_with_stdnum_on_every_stretch(digits: str) -> None:
    sums = solution.luhn_sums(digits)
    for begin in range(len(digits)):
        for end in range(begin + 1, len(digits) + 1):
            passes = (sums[end % 2][end] - sums[end % 2][begin]) % 10 == 0
            assert passes is stdnum_luhn.is_valid(digits[begin:end]), (digits, begin, end)
