"""Reference solution for `luhn`: find payment card numbers and check them with Luhn.

Two layers, as in Presidio's credit card recognizer: a pattern finds
candidates, then a checksum throws out most digit strings that only look like cards.
"""

from __future__ import annotations

import re

MIN_DIGITS = 13
MAX_DIGITS = 19

# The whole string: ASCII digit groups joined by ONE space or ONE hyphen.
# [0-9] rather than \d: in Python, \d (like str.isdigit() and int()) also accepts
# Arabic-Indic, fullwidth and other digits, which a card number never contains.
_CARD_SHAPE = re.compile(r"[0-9]+(?:[ -][0-9]+)*")

# A digit group in running text: ASCII digits that touch no letter, digit or
# underscore of any script. \w is Unicode-aware for str patterns, so "ID4242...",
# "4242...abc" and "٤242..." contain no group at all.
_GROUP = re.compile(r"(?<!\w)[0-9]+(?!\w)")

_SEPARATORS = (" ", "-")


def _checksum_ok(digits: str) -> bool:
    """Luhn: from the right, double every second digit, add up the digits; total % 10 == 0."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - ord("0")  # the caller guarantees ASCII digits
        if position % 2 == 1:  # every second digit, counting the check digit as position 0
            value *= 2
            if value > 9:  # same as adding the two digits of 10..18
                value -= 9
        total += value
    return total % 10 == 0


def luhn_valid(number: str) -> bool:
    """True when `number` is a plausible payment card number; never raises."""
    if not isinstance(number, str) or _CARD_SHAPE.fullmatch(number) is None:
        return False
    digits = number.replace(" ", "").replace("-", "")
    return MIN_DIGITS <= len(digits) <= MAX_DIGITS and _checksum_ok(digits)


def find_cards(text: str) -> list[str]:
    """Every card number in `text`, exactly as written, in order of appearance."""
    groups = list(_GROUP.finditer(text))
    found: list[str] = []
    i = 0
    while i < len(groups):
        start = groups[i].start()
        best_end: int | None = None
        digits = 0
        for j in range(i, len(groups)):
            # A stretch only continues across exactly one space or hyphen.
            if j > i and text[groups[j - 1].end() : groups[j].start()] not in _SEPARATORS:
                break
            digits += groups[j].end() - groups[j].start()
            if digits > MAX_DIGITS:  # longer stretches cannot be cards: stop early
                break
            if luhn_valid(text[start : groups[j].end()]):
                best_end, next_i = groups[j].end(), j + 1  # keep the longest one
        if best_end is None:
            i += 1
        else:
            found.append(text[start:best_end])
            i = next_i
    return found
