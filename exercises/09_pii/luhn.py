r"""Find payment card numbers in text, and check them with the Luhn checksum.

The scenario
------------

Your support assistant logs every prompt and reply, and people paste card numbers
into chat ("my card 4242 4242 4242 4242 was charged twice"). Before a message goes
into a log or to a hosted model, a redactor has to find the card numbers in it.
A bare regex such as `\d{16}` flags every long order number, timestamp and
reference; a checksum throws most of those out. That is how the credit card
recognizer of Presidio, the open-source PII detector, works too: a pattern, then the
Luhn checksum.

What to implement
-----------------

    luhn_valid(number: str) -> bool
    find_cards(text: str) -> list[str]

(`luhn_sums(digits)`, a helper for find_cards, is given complete below.)

`luhn_valid(number)` is True exactly when all of these hold, and False otherwise
(it never raises, whatever it is given: None, bytes and int give False):

1. `number` is a str made of ASCII digits 0-9, with at most ONE space or ONE hyphen
   between two digits. So "4242 4242 4242 4242", "4242-4242-4242-4242" and
   "3782 822463 10005" are fine; a separator at the start or the end, two in a row,
   or any other character (tab, dot, newline, zero-width space, no-break space...)
   makes it False.
2. Only ASCII digits count. "٤٢٤٢" (Arabic-Indic) and "４２４２" (fullwidth) are
   digits to `str.isdigit()` and `int()`, so check the characters yourself.
3. Without its separators it has 13 to 19 digits (MIN_DIGITS to MAX_DIGITS).
4. It passes the Luhn checksum. Number the digits from the RIGHT, starting at 0
   for the last digit (the check digit). Double every digit at an odd position;
   if doubling gives more than 9, subtract 9. Add up all the digits. The number
   passes when the total is a multiple of 10. For 4242 4242 4242 4242 that is eight
   2s and eight 4s doubled to 8: 8 x 2 + 8 x 8 = 80, a multiple of 10.

This is a card detector, not a general Luhn function. A library such as python-stdnum
(`stdnum.luhn`) checks a string of digits of any length ("18" passes) and takes no
separators; luhn_valid also accepts single spaces and hyphens, as people type card
numbers, and wants 13 to 19 digits, so that short codes and long references are not
called cards.

`find_cards(text)` returns every card number in `text`, exactly as written
(separators included), in order of appearance. Precisely:

1. A *digit group* is a run of ASCII digits that does not touch a letter, a digit
   or an underscore, of any script, on either side (what the regex `\w` matches in
   Python). "ID4242424242424242", "4242424242424242abc" and "٤4242424242424242"
   contain no group at all.
2. Groups separated by exactly one space or one hyphen can form one number.
3. Go through the groups from left to right. At each group, take the LONGEST stretch
   of whole, consecutive groups that starts there and for which `luhn_valid` is
   True. If there is one, add it to the result and continue with the first group
   after it. If there is none, move on to the next group.

So a card is never cut out of a longer unbroken digit string (a 25-digit reference
number contains no card), a card is still found when another number follows it
("4242424242424242 12/34": the stretch with "12" fails the checksum, the card alone
passes), and text without cards gives [].

Hostile input: find_cards reads text that anyone can write (a chat message, a log
line, a pasted file), so it must stay fast on the worst text an attacker can send,
such as 128 KB of "1 1 1 1 ...": every group joins the next one, and no card comes.
Running luhn_valid on every stretch from every group reads the same digits again and
again (about 20 times the work of one pass); a scanner that slow ties up the service
for seconds on every such message, a denial of service. The checks time find_cards on
text like this (up to 32 KB) against a solution that reads it once, and fail it when it
needs more than 10 times as long. So read each run of groups once:

- Find the *runs*: groups joined by single spaces or hyphens, as one regex match.
  A run with fewer than 13 characters cannot hold a card.
- Call `luhn_sums()` (given below, complete) once per run. After that, whether any
  stretch of the run passes Luhn is one subtraction; no need to call luhn_valid.
- From each group, only stretches of 13 to 19 digits count, and at most 19 groups
  fit in 19 digits: stop looking further than that.

Examples
--------

>>> luhn_valid("4242 4242 4242 4242")
True
>>> luhn_valid("4242 4242 4242 4241")        # check digit off by one
False
>>> luhn_valid("４２４２４２４２４２４２４２４２")   # fullwidth digits
False
>>> find_cards("card=4242424242424242 exp=12/34, ref 4242424242424242424242424")
['4242424242424242']
>>> find_cards("New card: 3782 822463 10005 (Amex). Old: 5555-5555-5555-4444.")
['3782 822463 10005', '5555-5555-5555-4444']

(These are test card numbers that Stripe publishes for developers; no real account
is behind them. Never use real card numbers in tests.)

Why it matters
--------------

A full card number (the PAN) in a log file or a prompt to someone else's model is a
leak: PCI DSS requires stored PANs, logs included, to be unreadable, and OWASP
LLM02:2025 names financial details among the sensitive information an AI feature
can disclose. A detector that flags every long number trains people to ignore it;
one that trusts `int()` on look-alike digits says "card" for text that your masking
code (which replaces [0-9]) will not touch.

Luhn is a typo check, not proof that a card exists: about one random number in ten
passes it. Your redactor will still flag some timestamps and order numbers.
"""

from __future__ import annotations

import re  # noqa: F401  (you will probably want it)
from itertools import accumulate

MIN_DIGITS = 13
MAX_DIGITS = 19
SEPARATORS = (" ", "-")

# What Luhn adds for a doubled digit: the digit times two, minus 9 when that is above 9.
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_sums(digits: str) -> list[list[int]]:
    """Running Luhn totals of `digits`, a string of ASCII digits. Given, complete.

    Luhn doubles every second digit counting from a number's LAST digit, so in the
    stretch digits[begin:end] it doubles the positions p with p % 2 == end % 2.
    sums[parity][k] is the Luhn sum of digits[:k] with the positions of that parity
    doubled, and the stretch digits[begin:end] passes Luhn exactly when

        (sums[end % 2][end] - sums[end % 2][begin]) % 10 == 0

    >>> sums = luhn_sums("4242424242424242" + "12")   # a card, then an expiry month
    >>> (sums[16 % 2][16] - sums[16 % 2][0]) % 10     # digits[0:16], the card: passes
    0
    >>> (sums[18 % 2][18] - sums[18 % 2][0]) % 10     # all 18 digits: fails
    4
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


def luhn_valid(number: str) -> bool:
    """True when `number` is a plausible payment card number (see the module docstring)."""
    # TODO: return False for anything that is not a str.
    # TODO: check the shape: ASCII digits, single spaces or hyphens only between digits.
    # TODO: strip the separators, check 13-19 digits, then compute the Luhn checksum.
    raise NotImplementedError("TODO: implement luhn_valid")


def find_cards(text: str) -> list[str]:
    """Every card number in `text`, exactly as written, in order of appearance."""
    # TODO: find the runs of digit groups (a regex with look-behind and look-ahead helps).
    # TODO: per run: its groups, how many digits come before each group, luhn_sums().
    # TODO: from each group, find the longest stretch of 13 to 19 digits that passes;
    #       report it exactly as written and carry on after it, or move to the next group.
    raise NotImplementedError("TODO: implement find_cards")
