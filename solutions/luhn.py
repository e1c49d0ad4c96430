"""Reference solution for `luhn`: find payment card numbers and check them with Luhn.

Two layers, as in Presidio's credit card recognizer: a pattern finds
candidates, then a checksum throws out most digit strings that only look like cards.
find_cards reads each run of digit groups once, so hostile text stays fast.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

MIN_DIGITS = 13
MAX_DIGITS = 19
SEPARATORS = (" ", "-")

# The whole string: ASCII digit groups joined by ONE space or ONE hyphen.
# [0-9] rather than \d: in Python, \d (like str.isdigit() and int()) also accepts
# Arabic-Indic, fullwidth and other digits, which a card number never contains.
_CARD_SHAPE = re.compile(r"[0-9]+(?:[ -][0-9]+)*")

# A run of digit groups in running text: the same shape, touching no letter, digit or
# underscore of any script on either side. \w is Unicode-aware for str patterns, so
# "ID4242...", "4242...abc" and "٤242..." hold no group at all.
_DIGIT_RUN = re.compile(r"(?<!\w)[0-9]+(?:[ -][0-9]+)*(?!\w)")

# What Luhn adds for a doubled digit: the digit times two, minus 9 when that is above 9.
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_sums(digits: str) -> list[list[int]]:
    """Running Luhn totals of `digits`, a string of ASCII digits (given in the starter).

    Luhn doubles every second digit counting from a number's LAST digit, so in the
    stretch digits[begin:end] it doubles the positions p with p % 2 == end % 2.
    sums[parity][k] is the Luhn sum of digits[:k] with the positions of that parity
    doubled; the stretch passes Luhn exactly when
    (sums[end % 2][end] - sums[end % 2][begin]) % 10 == 0.
    """
    values = [ord(char) - ord("0") for char in digits]
    return [
        list(accumulate(
            (_DOUBLED[value] if position % 2 == parity else value
             for position, value in enumerate(values)),
            initial=0,
        ))
        for parity in (0, 1)
    ]


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


def _longest_card(starts: list[int], sums: list[list[int]], first: int) -> int | None:
    """The last group of the longest card that begins with group `first`, or None."""
    begin = starts[first]
    # The stretch from group `first` to group k ends at digit starts[k + 1]. Find the
    # last k with at most 19 digits (each group has a digit, so at most 19 groups fit),
    # then try the stretches from the longest down to 13 digits: at most 7 of them.
    stop = bisect_right(starts, begin + MAX_DIGITS, first + 1,
                        min(len(starts), first + MAX_DIGITS + 1))
    for end_index in range(stop - 1, first, -1):
        end = starts[end_index]
        if end - begin < MIN_DIGITS:
            return None
        luhn_sum = sums[end % 2]
        if (luhn_sum[end] - luhn_sum[begin]) % 10 == 0:
            return end_index - 1
    return None


def find_cards(text: str) -> list[str]:
    """Every card number in `text`, exactly as written, in order of appearance."""
    found: list[str] = []
    for run in _DIGIT_RUN.finditer(text):
        written = run.group()
        if len(written) < MIN_DIGITS:
            continue  # too short to hold 13 digits: years, prices, counts
        groups = written.replace("-", " ").split(" ")
        # starts[k]: how many digits come before group k; starts[-1]: all of them.
        starts = list(accumulate(map(len, groups), initial=0))
        # One pass over the run's digits; after that, checking a stretch is O(1).
        sums = luhn_sums("".join(groups))
        first = 0
        while first < len(groups):
            last = _longest_card(starts, sums, first)
            if last is None:
                first += 1
                continue
            # Group k starts at starts[k] + k in the run: its digits, plus one separator
            # for each group before it.
            found.append(written[starts[first] + first : starts[last + 1] + last])
            first = last + 1  # carry on after the card
    return found
