"""Differential test: `iban` reference solution against python-stdnum's stdnum.iban.

stdnum.iban validates an IBAN the way a payment form would: it first cleans the input
(removes spaces, hyphens and dots, maps look-alike digits and spaces to ASCII, strips,
upper-cases), then checks mod 97-10, the country's length and the national layout of the
account part (BBAN) from its copy of the SWIFT registry, and for a few countries national
check digits. The reference solution is a detector for a redactor and is strict about the
text it was given instead (see DIFFERENCES). Valid IBANs are generated from stdnum's
registry with stdnum.iban.calc_check_digits, then perturbed: one character changed,
neighbours swapped, separators and whitespace, look-alike characters, lowercase, other
countries, empty and very long strings.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from reference import load_solution, load_starter_docstring
from stdnum import iban as stdnum_iban
from stdnum import numdb
from stdnum.exceptions import ValidationError
from stdnum.iso7064 import mod_97_10

solution = load_solution("iban")
STARTER_DOC = load_starter_docstring("09_pii/iban.py")

# What the reference solution does on purpose that stdnum.iban does not (or the other way
# round), and why. Each entry names the text in the starter's docstring that tells learners.
DIFFERENCES = {
    "no clean-up": (
        "stdnum.iban.compact() removes spaces, hyphens and dots anywhere, strips the ends and "
        "maps fullwidth digits and other look-alikes to ASCII before checking; iban_valid "
        "accepts only the electronic format or groups of four with single spaces, in ASCII, "
        "because a redactor must answer for the exact text it will mask.",
        "Nothing else: no space at the start or the end",
    ),
    "never-issued check digits": (
        "stdnum.iban accepts check digits 00, 01 and 99 when mod 97 works out (00 is "
        "congruent to 97, 01 to 98, 99 to 02); iban_valid rejects them: banks never issue "
        "them.",
        "REJECTED_CHECK_DIGITS",
    ),
    "no national layout": (
        "stdnum.iban also checks which BBAN positions must be digits or letters, and national "
        "check digits for a few countries (Belgium, Spain, Montenegro, Norway); iban_valid "
        "checks the country's length and mod 97 only, so it can accept a string with a letter "
        "where the national format wants a digit.",
        "does not check the national layout",
    ),
}

_IBANDB = numdb.get("iban")
_STRUCT_PART = re.compile(r"([1-9][0-9]*)!([nac])")
_ALPHABETS = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
              "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def _registry() -> dict[str, list[tuple[int, str]]]:
    """Country code -> the BBAN layout as (count, alphabet) parts, from stdnum's registry."""
    layouts: dict[str, list[tuple[int, str]]] = {}
    for code in (f"{a}{b}" for a in _ALPHABETS["a"] for b in _ALPHABETS["a"]):
        props = _IBANDB.info(code + "00")[0][1]
        if props.get("bban"):
            layouts[code] = [(int(n), _ALPHABETS[kind])
                             for n, kind in _STRUCT_PART.findall(props["bban"])]
    return layouts


LAYOUTS = _registry()
COUNTRIES = sorted(LAYOUTS)


def documented_shape(text: str) -> bool:
    """ASCII letters and digits, with no spaces or in groups of four joined by single spaces."""
    compact = text.replace(" ", "")
    if not (compact.isascii() and compact.isalnum()):
        return False
    if " " not in text:
        return True
    groups = text.split(" ")
    return all(len(g) == 4 for g in groups[:-1]) and 1 <= len(groups[-1]) <= 4


def expected(text: str) -> bool:
    """stdnum's verdict on mod 97, country and length, with the documented differences."""
    if not documented_shape(text):  # "no clean-up"
        return False
    compact = text.replace(" ", "").upper()
    if compact[2:4] in {"00", "01", "99"}:  # "never-issued check digits"
        return False
    if not (compact[:2].isalpha() and compact[2:4].isdigit()):
        return False
    layout = LAYOUTS.get(compact[:2])
    if layout is None or len(compact) != 4 + sum(n for n, _ in layout):
        return False
    # "no national layout": mod 97 decides, not the BBAN pattern or national check digits.
    return mod_97_10.is_valid(compact[4:] + compact[:4])


def library_accepts(text: str) -> bool:
    try:
        stdnum_iban.validate(text, check_country=False)
    except ValidationError:
        return False
    return True


@st.composite
def valid_ibans(draw: st.DrawFn, countries: list[str] = COUNTRIES) -> str:
    """A random IBAN that stdnum accepts: a BBAN in the country's layout, check digits."""
    country = draw(st.sampled_from(countries))
    # One big number spelled out in the layout's alphabets: far cheaper to draw than one
    # character at a time, and it still covers every layout position.
    seed = draw(st.integers(0, 2**200))
    bban = ""
    for n, alphabet in LAYOUTS[country]:
        for _ in range(n):
            seed, index = divmod(seed, len(alphabet))
            bban += alphabet[index]
    check = stdnum_iban.calc_check_digits(country + "00" + bban)
    return country + check + bban


def print_format(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def test_differences_are_documented() -> None:
    for name, (why, phrase) in DIFFERENCES.items():
        assert phrase in STARTER_DOC, f"difference {name!r} ({why}) is not in the starter"


def test_same_countries_and_lengths() -> None:
    # The exercise's table and stdnum's copy of the SWIFT registry list the same countries
    # with the same lengths (stdnum 2.2 was generated from registry release 101).
    lengths = {code: 4 + sum(n for n, _ in layout) for code, layout in LAYOUTS.items()}
    assert lengths == solution.IBAN_LENGTHS


@settings(max_examples=150)  # each example builds IBANs: keep the file fast
@given(valid_ibans(), st.booleans(), st.booleans())
def test_valid_ibans_agree(iban: str, printed: bool, lower: bool) -> None:
    text = print_format(iban) if printed else iban
    text = text.lower() if lower else text
    if iban[2:4] in {"00", "01", "99"}:  # calc_check_digits never returns these
        pytest.fail(f"stdnum made check digits {iban[2:4]}")
    assert library_accepts(text)
    assert solution.iban_valid(text) is True


@settings(max_examples=150)  # each example builds IBANs: keep the file fast
@given(valid_ibans(), st.data())
def test_one_character_changed(iban: str, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(iban) - 1))
    new = data.draw(st.sampled_from(_ALPHABETS["c"]).filter(lambda c: c != iban[index]))
    changed = iban[:index] + new + iban[index + 1 :]
    assert solution.iban_valid(changed) is expected(changed)
    if solution.iban_valid(changed):
        # Only possible where a digit became a letter (or back): the expansion to digits
        # changes length and mod 97 can pass by chance. The library then objects to the
        # layout ("no national layout") unless the position takes both.
        assert iban[index].isdigit() != new.isdigit()
    if new.isdigit() == iban[index].isdigit() and index >= 2:
        assert not library_accepts(changed)
        assert solution.iban_valid(changed) is False


@settings(max_examples=150)  # each example builds IBANs: keep the file fast
@given(valid_ibans(), st.data())
def test_neighbours_swapped(iban: str, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(iban) - 2))
    swapped = iban[:index] + iban[index + 1] + iban[index] + iban[index + 2 :]
    assert solution.iban_valid(swapped) is expected(swapped)
    if swapped != iban and index >= 4 and swapped[index:index + 2].isdigit():
        # Two different digits swapped in the account part: mod 97 always notices.
        assert not library_accepts(swapped)
        assert solution.iban_valid(swapped) is False


@st.composite
def respaced(draw: st.DrawFn) -> str:
    """A valid IBAN with separators, good and bad, put between its characters."""
    iban = draw(valid_ibans())
    if draw(st.booleans()):
        return print_format(iban)
    cuts = sorted(draw(st.sets(st.integers(1, len(iban) - 1), max_size=8)))
    parts = [iban[i:j] for i, j in zip([0, *cuts], [*cuts, len(iban)], strict=True)]
    seps = st.sampled_from([" ", " ", "  ", "-", ".", "\t", "\u00a0", "\u200b", "\u3000", "\n"])
    text = parts[0]
    for part in parts[1:]:
        text += draw(seps) + part
    edge = st.sampled_from(["", "", "", " ", "\n", "\u200d", "-"])
    return draw(edge) + text + draw(edge)


@settings(max_examples=150)  # each example builds IBANs: keep the file fast
@given(respaced())
@example("GB82 WEST 1234 5698 7654 32")
@example("GB82WEST12345698765432 ")
@example("GB82-WEST-1234-5698-7654-32")
@example("GB82 WEST 1234 5698 7654 32\n")
@example("GB82 WEST 12345698765432")
def test_separators(text: str) -> None:
    assert solution.iban_valid(text) is expected(text)
    if library_accepts(text) and not solution.iban_valid(text):
        assert not documented_shape(text)  # "no clean-up", nothing else


LOOKALIKES = {
    "0": "０٠۰०𝟎", "1": "１١۱१𝟏", "2": "２٢", "3": "３٣", "4": "４٤", "5": "５٥", "6": "６٦",
    "7": "７٧", "8": "８٨", "9": "９٩", "A": "ＡАΑ", "B": "ＢВΒ", "C": "ＣС", "E": "ＥЕΕ",
    "I": "ıＩІ", "K": "ＫКΚ", "M": "ＭМ", "O": "ＯОΟ", "S": "ſＳЅ", "T": "ＴТΤ", "X": "ＸХΧ",
}


@settings(max_examples=150)  # each example builds IBANs: keep the file fast
@given(valid_ibans(), st.data())
@example("GB82WEST12345698765432".replace("ST", "ﬆ"), None)
def test_lookalike_characters(iban: str, data: st.DataObject | None) -> None:
    if data is None:
        text = iban
    else:
        positions = [i for i, ch in enumerate(iban) if ch in LOOKALIKES]
        if not positions:
            return
        index = data.draw(st.sampled_from(positions))
        text = iban[:index] + data.draw(st.sampled_from(LOOKALIKES[iban[index]])) + iban[index + 1:]
    # stdnum maps some look-alikes (fullwidth digits) back to ASCII and then accepts; the
    # solution never does ("no clean-up").
    assert solution.iban_valid(text) is False
    assert expected(text) is False


@settings(max_examples=150)  # each example builds IBANs: keep the file fast
@given(valid_ibans(), st.sampled_from(["00", "01", "99"]))
def test_never_issued_check_digits(iban: str, check: str) -> None:
    text = iban[:2] + check + iban[4:]
    assert solution.iban_valid(text) is False
    # The library accepts the congruent twin when the real check digits are 97, 98 or 02.
    twin = {"97": "00", "98": "01", "02": "99"}.get(iban[2:4])
    if twin == check:
        assert library_accepts(text)


@settings(max_examples=150)  # each example builds IBANs: keep the file fast
@given(valid_ibans(), st.sampled_from(COUNTRIES))
def test_other_country(iban: str, country: str) -> None:
    # The account part of one country under another country code: only the length and
    # mod 97 can tell, and the solution agrees with the library on both.
    moved = country + iban[2:]
    assert solution.iban_valid(moved) is expected(moved)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
@example("")
@example(" ")
@example("GB")
@example("GB82")
@example("GB82WEST1234569876543" + "2" * 1000)
@example("XX82WEST12345698765432")
@example("gb82 west 1234 5698 7654 32")
def test_arbitrary_text(text: str) -> None:
    assert solution.iban_valid(text) is expected(text)
    if solution.iban_valid(text):
        assert mod_97_10.is_valid(text.replace(" ", "").upper()[4:] + text.replace(" ", "")
                                  .upper()[:4])


def test_national_layout_difference() -> None:
    # A German IBAN has only digits after the check digits; one with a letter that still
    # passes mod 97 is accepted by the solution and refused by the library.
    bban = "37040044053201300"
    for letter in _ALPHABETS["a"]:
        text = "DE00" + bban + letter
        text = text[:2] + mod_97_10.calc_check_digits(text[4:] + text[:2]) + text[4:]
        if text[2:4] not in {"00", "01", "99"}:
            break
    assert solution.iban_valid(text) is True
    assert not library_accepts(text)
    assert expected(text) is True


def test_not_a_str() -> None:
    for value in (None, b"GB82WEST12345698765432", 82, ["GB82WEST12345698765432"]):
        assert solution.iban_valid(value) is False


@st.composite
def text_with_ibans(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Prose with valid IBANs in it, in electronic or print format."""
    words = st.sampled_from(["iban:", "refund", "to", "(", ")", "and", "acct", "ref", "x"])
    ibans: list[str] = []
    pieces: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        pieces.append(" ".join(draw(st.lists(words, min_size=1, max_size=3))))
        iban = draw(valid_ibans())
        iban = print_format(iban) if draw(st.booleans()) else iban
        iban = iban.lower() if draw(st.booleans()) else iban
        ibans.append(iban)
        pieces.append(iban)
    pieces.append("thanks.")
    return " ".join(pieces), ibans


@settings(max_examples=150)  # each example builds IBANs: keep the file fast
@given(text_with_ibans())
def test_find_ibans_finds_library_valid_ibans(case: tuple[str, list[str]]) -> None:
    text, ibans = case
    found = solution.find_ibans(text)
    assert found == ibans
    for iban in found:
        assert library_accepts(iban)
