"""Hidden checks for `luhn`: luhn_valid() and find_cards().

The card numbers are test numbers that Stripe publishes for developers
(https://docs.stripe.com/testing, see ATTRIBUTION.md); no real account is behind
them. Numbers marked "synthetic" were made up for these checks and completed with a
Luhn check digit.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Callable
from itertools import accumulate

# Stripe test cards, as (number, brand).
STRIPE_CARDS = [
    ("4242424242424242", "Visa"),
    ("4000056655665556", "Visa (debit)"),
    ("5555555555554444", "Mastercard"),
    ("2223003122003222", "Mastercard (2-series)"),
    ("5200828282828210", "Mastercard (debit)"),
    ("5105105105105100", "Mastercard (prepaid)"),
    ("378282246310005", "American Express, 15 digits"),
    ("371449635398431", "American Express, 15 digits"),
    ("6011111111111117", "Discover"),
    ("6011000990139424", "Discover"),
]

WHY_MISSED = (
    "A redactor built on this would let a real card number through into the log or prompt."
)
WHY_FALSE_ALARM = (
    "Flagging numbers that are not cards teaches people to ignore the redactor, and corrupts "
    "the data it rewrites."
)


def _off_by_one(number: str, index: int) -> str:
    """`number` with the digit at `index` raised by one (9 becomes 0)."""
    digit = (int(number[index]) + 1) % 10
    return number[:index] + str(digit) + number[index + 1 :]


def test_accepts_published_test_cards(exercise):
    """Accepts Stripe's published test card numbers"""
    for number, brand in STRIPE_CARDS:
        got = exercise.luhn_valid(number)
        assert got is True, (
            f"luhn_valid({number!r}) returned {got!r}, expected True: this is Stripe's {brand} "
            f"test number, {len(number)} ASCII digits with a valid Luhn check digit. "
            "(luhn_valid must return the bool True, not a truthy value.) " + WHY_MISSED
        )


def test_accepts_grouped_cards(exercise):
    """Accepts card numbers grouped with single spaces or hyphens"""
    cases = [
        "4242 4242 4242 4242",
        "4242-4242-4242-4242",
        "5555 5555 5555 4444",
        "3782 822463 10005",  # how American Express prints its 15 digits
        "3782-822463-10005",
        "6011 1111-1111 1117",  # mixed single separators are allowed too
        "4242424242 424242",
    ]
    for number in cases:
        got = exercise.luhn_valid(number)
        assert got is True, (
            f"luhn_valid({number!r}) returned {got!r}, expected True: one space or one hyphen "
            "between digits is allowed, and the digits alone are a Stripe test card. People "
            "type card numbers the way they are printed. " + WHY_MISSED
        )


def test_rejects_wrong_check_digit(exercise):
    """Rejects numbers with one wrong digit, as the Luhn checksum requires"""
    for number, brand in STRIPE_CARDS:
        for index, where in ((len(number) - 1, "last"), (len(number) // 2, "middle")):
            wrong = _off_by_one(number, index)
            got = exercise.luhn_valid(wrong)
            assert got is False, (
                f"luhn_valid({wrong!r}) returned {got!r}, expected False: this is Stripe's "
                f"{brand} test number {number} with its {where} digit raised by one, and Luhn "
                "catches every single wrong digit. Double every second digit counting from the "
                "RIGHT (the last digit is not doubled). " + WHY_FALSE_ALARM
            )


def test_length_bounds(exercise):
    """Accepts 13 to 19 digits and rejects 12 or 20, even with a valid checksum"""
    cases = [
        ("4242424242422", True, "13 digits, the minimum"),
        ("4242424242424242428", True, "19 digits, the maximum"),
        ("4242 4242 4242 4242 428", True, "19 digits in groups"),
        ("424242424242", False, "only 12 digits"),
        ("42424242424242424242", False, "20 digits"),
        ("4242 4242 4242 4242 4242", False, "20 digits in groups"),
        ("0", False, "a single digit"),
        ("0000000000", False, "10 zeros"),
    ]
    for number, expected, what in cases:
        got = exercise.luhn_valid(number)
        assert got is expected, (
            f"luhn_valid({number!r}) returned {got!r}, expected {expected}: {what} (synthetic "
            "number, Luhn check digit valid), and luhn_valid accepts 13 to 19 digits, "
            "separators not counted. The length rule keeps short codes and long references "
            "out of the redactor."
        )


def test_rejects_lookalike_digits(exercise):
    """Rejects look-alike digits that str.isdigit() and int() accept"""
    card = "4242424242424242"
    translations = {
        "Arabic-Indic digits": "٠١٢٣٤٥٦٧٨٩",
        "Extended Arabic-Indic digits": "۰۱۲۳۴۵۶۷۸۹",
        "Devanagari digits": "०१२३४५६७८९",
        "fullwidth digits": "０１２３４５６７８９",
        "mathematical bold digits": "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",
    }
    cases = [
        (card.translate(str.maketrans("0123456789", digits)), name)
        for name, digits in translations.items()
    ]
    cases += [
        ("424242424242424２", "15 ASCII digits and a fullwidth last digit"),
        ("4242 ４２４２ 4242 4242", "one group of fullwidth digits"),
        ("42424242424242²4", "a superscript two, which isdigit() accepts and int() rejects"),
    ]
    for number, what in cases:
        got = exercise.luhn_valid(number)
        assert got is False, (
            f"luhn_valid({number!r}) returned {got!r}, expected False: {what}. str.isdigit(), "
            "int() and the regex \\d accept many digits besides 0-9, but a card number has "
            "only ASCII digits; compare with '0' <= ch <= '9' or use [0-9]. A masker that "
            "replaces [0-9] would leave these characters as they are, so calling them a card "
            "number makes the redactor claim a success it never delivers."
        )


def test_rejects_other_separators(exercise):
    """Rejects other separators, zero-width characters and stray or doubled separators"""
    cases = [
        ("4242.4242.4242.4242", "dots"),
        ("4242/4242/4242/4242", "slashes"),
        ("4242_4242_4242_4242", "underscores"),
        ("4242\t4242\t4242\t4242", "tabs"),
        ("4242\u00a04242\u00a04242\u00a04242", "no-break spaces"),
        ("4242\u200b4242\u200b4242\u200b4242", "zero-width spaces"),
        ("4242424242424242\u200d", "a trailing zero-width joiner"),
        ("4242  4242 4242 4242", "two spaces in a row"),
        ("4242--4242-4242-4242", "two hyphens in a row"),
        ("4242 -4242 4242 4242", "a space and a hyphen together"),
        (" 4242424242424242", "a leading space"),
        ("4242424242424242 ", "a trailing space"),
        ("-4242424242424242", "a leading hyphen"),
        ("4242424242424242\n", "a trailing newline (re.match with $ lets this through)"),
        ("+4242424242424242", "a plus sign"),
        ("4242 4242 4242 424a", "a letter"),
    ]
    for number, what in cases:
        got = exercise.luhn_valid(number)
        assert got is False, (
            f"luhn_valid({number!r}) returned {got!r}, expected False: the input has {what}. "
            "Only ASCII digits, with at most one space or one hyphen between two of them, are "
            "allowed. Zero-width and other invisible characters are a known way to slip data "
            "past filters: normalise text before detection instead of letting the validator "
            "guess what was meant."
        )


def test_rejects_empty_and_non_text(exercise):
    """Returns False for empty input, separators alone and values that are not text"""
    cases = ["", " ", "-", " - ", "--------------", "                   "]
    for number in cases:
        got = exercise.luhn_valid(number)
        assert got is False, (
            f"luhn_valid({number!r}) returned {got!r}, expected False: there are no digits at "
            "all. Removing the separators leaves an empty string, and an empty string must not "
            "count as a valid number."
        )
    for value in (None, b"4242424242424242", 4242424242424242, ["4242424242424242"]):
        got = exercise.luhn_valid(value)
        assert got is False, (
            f"luhn_valid({value!r}) returned {got!r}, expected False: it is not a str, so it "
            "is not a card number written as text. A validator runs on untrusted data inside "
            "a filter; it answers no rather than crashing the logging path."
        )


def test_finds_cards_in_logs_and_chat(exercise):
    """Finds cards in log lines and chat messages, exactly as written"""
    cases = [
        (
            "2024-05-02T10:31:07Z INFO payment card=4242424242424242 status=declined",
            ["4242424242424242"],
        ),
        (
            '{"event": "charge", "pan": "5555555555554444", "amount": 1299}',
            ["5555555555554444"],
        ),
        ("Hi, my card is 4242 4242 4242 4242, exp 12/34. Thanks!", ["4242 4242 4242 4242"]),
        (
            "Can you update my card? New one: 3782 822463 10005 (Amex).",
            ["3782 822463 10005"],
        ),
        ("use 6011-1111-1111-1117.", ["6011-1111-1111-1117"]),
        ("4000056655665556", ["4000056655665556"]),
    ]
    for text, expected in cases:
        got = exercise.find_cards(text)
        assert got == expected, (
            f"find_cards({text!r}) returned {got!r}, expected {expected!r}: the card is "
            "surrounded by punctuation or spaces, not by letters or digits, so it is a card "
            "number, and it must come back exactly as written (separators included) so that "
            "the caller can replace that exact text. " + WHY_MISSED
        )


def test_card_followed_by_other_numbers(exercise):
    """Finds a card followed by an expiry date, a code or another card"""
    cases = [
        ("card 4242424242424242 12/34 cvc 123", ["4242424242424242"]),
        ("4242 4242 4242 4242 123", ["4242 4242 4242 4242"]),
        ("cards: 4242424242424242 5555555555554444", ["4242424242424242", "5555555555554444"]),
        ("Qty 3 4242 4242 4242 4242", ["4242 4242 4242 4242"]),
    ]
    for text, expected in cases:
        got = exercise.find_cards(text)
        assert got == expected, (
            f"find_cards({text!r}) returned {got!r}, expected {expected!r}: the digit groups "
            "joined by single spaces form one long stretch that fails the checksum, but a "
            "shorter stretch of whole groups inside it is a valid card. At each group, try the "
            "longest stretch first and accept the longest one that luhn_valid() accepts; if "
            "none starts at this group, move on to the next group. " + WHY_MISSED
        )


def test_ignores_luhn_invalid_numbers(exercise):
    """Ignores order numbers, phone numbers and other numbers that fail the checksum"""
    cases = [
        "Order 1234567890123456 shipped",
        "order #4000056655665557",
        "card 4242424242424241 was declined",
        "5555 5555 5555 4445",
        "+1 202 555 0143",
        "IBAN DE89 3704 0044 0532 0130 00",
        "2024-05-02 10:31:07 job 42 done",
    ]
    for text in cases:
        got = exercise.find_cards(text)
        assert got == [], (
            f"find_cards({text!r}) returned {got!r}, expected []: no stretch of whole digit "
            "groups in this text has 13 to 19 digits and a valid Luhn checksum. A regex alone "
            "finds card-shaped numbers; only the checksum tells most of them apart. "
            + WHY_FALSE_ALARM
        )


def test_no_card_inside_longer_strings(exercise):
    """Never cuts a card out of a longer digit string or a word"""
    cases = [
        ("ref 4242424242424242424242424", "a 25-digit reference that starts with a card"),
        ("ref 1234567894242424242424242", "a 25-digit reference that ends with a card"),
        ("ID4242424242424242", "digits glued to letters"),
        ("4242424242424242abc", "digits glued to letters"),
        ("sha=deadbeef4242424242424242cafe", "part of a hexadecimal hash"),
        ("card_4242424242424242", "digits glued to an underscore"),
        ("n=٤4242424242424242", "digits that continue in another script"),
    ]
    for text, what in cases:
        got = exercise.find_cards(text)
        assert got == [], (
            f"find_cards({text!r}) returned {got!r}, expected []: the digits are {what}. A "
            "digit group must not touch a letter, digit or underscore of any script (the "
            "regex \\w) on either side, and a card is never cut out of an unbroken run of "
            "digits. " + WHY_FALSE_ALARM
        )


def test_returns_every_card_in_order(exercise):
    """Returns every card in order of appearance, repeats included"""
    text = (
        "refund to 5105 1051 0510 5100; charge 4242424242424242 (ref 99),\n"
        "then retry 5105 1051 0510 5100 and 378282246310005."
    )
    expected = [
        "5105 1051 0510 5100",
        "4242424242424242",
        "5105 1051 0510 5100",
        "378282246310005",
    ]
    got = exercise.find_cards(text)
    assert got == expected, (
        f"find_cards({text!r}) returned {got!r}, expected {expected!r}: four cards, in the "
        "order they appear, the repeated one twice and across a line break. The caller uses "
        "the list to redact every occurrence; a set or a sorted list loses that."
    )
    assert isinstance(got, list), (
        f"find_cards returned a {type(got).__name__}, expected a list of str."
    )


def test_empty_and_cardless_text(exercise):
    """Returns [] for empty text and for text without cards"""
    for text in ("", " ", "\n", "no numbers here", "PIN 1234, code 987654"):
        got = exercise.find_cards(text)
        assert got == [], (
            f"find_cards({text!r}) returned {got!r}, expected []: there is no stretch of 13 to "
            "19 digits in it. Most log lines contain no card at all; they must pass through "
            "unchanged."
        )


def test_long_input_stays_fast(exercise):
    """Handles long inputs quickly"""
    card = "4242 4242 4242 4242"
    cases = [
        (
            "7" * 100_000 + " x " + card,
            "a 100,000-digit number",
            "one unbroken group of 100,000 digits is far longer than 19",
        ),
        (
            "lorem ipsum 12 dolor " * 5_000 + card,
            "100,000 characters of prose",
            "each '12' stands alone",
        ),
    ]
    for text, what, why in cases:
        started = time.perf_counter()
        got = exercise.find_cards(text)
        elapsed = time.perf_counter() - started
        assert got == [card], (
            f"find_cards(<{what}, then {card!r}>) returned {got!r:.200}, expected {[card]!r}: "
            f"only the card at the end is a card ({why})."
        )
        assert elapsed < 1.0, (
            f"find_cards(<{what}, then {card!r}>) took {elapsed:.1f} s, expected well under "
            "a second (the reference solution needs a few hundredths of a second). A group of "
            "more than 19 digits can never be part of a card, and a run of short numbers is "
            "skipped at once. A redactor on the logging path that slows down on long input "
            "is a denial-of-service risk."
        )
    got = exercise.luhn_valid("4" * 100_000)
    assert got is False, (
        f"luhn_valid('4' * 100000) returned {got!r}, expected False: 100,000 digits is far "
        "more than 19. Check the length before doing any other work on untrusted input."
    )


# --- Hostile input --------------------------------------------------------------------
# find_cards is timed against _linear_cards, a linear solution kept here as a yardstick,
# on the same text and in CPU seconds: a ratio, not a wall-clock limit, so a slow or busy
# machine slows both alike. The text grows 4 times per step and the check stops at the
# first step that is too slow, so a quadratic answer fails in about a second instead of
# running into the exercise's timeout. The reference solution takes about as long as the
# yardstick; checking every stretch with luhn_valid (the old approach) about 20 times as
# long; growing stretches with running totals, about 5 times; a quadratic answer, over
# 100 times at the first steps and more at each later one.
#
# What it catches, graded through the grader: a quadratic scan (stretches not capped at
# 19 digits) fails at the first step, 250 groups, about 300 times the yardstick; checking
# every capped stretch with luhn_valid fails by 1,000 or 4,000 groups at 15 to 30 times.
# 16,000 groups (32 KB) is the last step: there the yardstick needs some 50 ms, ten times
# NOISE_SECONDS, so a 20-times answer is twice over the limit even on a loaded machine.
# Larger text only made a correct answer slower to grade (128 KB cost 0.6 s a run).
# The yardstick runs only when find_cards took over NOISE_SECONDS: below that no ratio
# can fail, so the small steps cost one call of find_cards each.
HOSTILE_CARD = "4242 4242 4242 4242"
HOSTILE_GROUPS = (250, 1_000, 4_000, 16_000)  # "1 " * n: up to 32 KB
SLOWER_ALLOWED = 10  # times the yardstick's CPU time on the same text
NOISE_SECONDS = 0.05  # timer noise and start-up costs on the smallest inputs
_RUN = re.compile(r"(?<!\w)[0-9]+(?:[ -][0-9]+)*(?!\w)")
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _linear_cards(text: str) -> list[str]:
    """find_cards in one pass: running Luhn totals per run, at most 19 groups per start."""
    found = []
    for run in _RUN.finditer(text):
        written = run.group()
        if len(written) < 13:
            continue
        groups = written.replace("-", " ").split(" ")
        starts = list(accumulate(map(len, groups), initial=0))
        values = [ord(char) - 48 for char in "".join(groups)]
        sums = [list(accumulate((_DOUBLED[v] if p % 2 == parity else v
                                 for p, v in enumerate(values)), initial=0))
                for parity in (0, 1)]
        first = 0
        while first < len(groups):
            begin, last = starts[first], None
            stop = bisect_right(starts, begin + 19, first + 1, min(len(starts), first + 20))
            for k in range(stop - 1, first, -1):
                end = starts[k]
                if end - begin < 13:
                    break
                if (sums[end % 2][end] - sums[end % 2][begin]) % 10 == 0:
                    last = k - 1
                    break
            if last is None:
                first += 1
            else:
                found.append(written[begin + first : starts[last + 1] + last])
                first = last + 1
    return found


def _cpu_seconds(function: Callable[[str], object], text: str) -> tuple[object, float]:
    started = time.process_time()
    result = function(text)
    return result, time.process_time() - started


def test_hostile_input_stays_linear(exercise):
    """Stays fast on hostile text: 32 KB of one-digit groups ("1 1 1 1 ...")"""
    for count in HOSTILE_GROUPS:
        text = "1 " * count + "x " + HOSTILE_CARD
        shown = f"'1 ' * {count} + 'x {HOSTILE_CARD}'"
        got, took = _cpu_seconds(exercise.find_cards, text)
        linear = 0.0
        if took > NOISE_SECONDS:  # only then can the ratio fail: time the yardstick
            linear = _cpu_seconds(_linear_cards, text)[1]
        if took > SLOWER_ALLOWED * linear + NOISE_SECONDS:  # measure once more to be sure
            linear = min(linear, _cpu_seconds(_linear_cards, text)[1])
            got, took = min((got, took), _cpu_seconds(exercise.find_cards, text),
                            key=lambda result: result[1])
        assert took <= SLOWER_ALLOWED * linear + NOISE_SECONDS, (
            f"find_cards({shown}) took {took:.2f} s of CPU time, "
            f"{took / max(linear, 1e-3):.0f} times as long as a linear solution on the same "
            f"{len(text)} characters ({linear:.3f} s on this machine); the limit is "
            f"{SLOWER_ALLOWED} times. find_cards reads text "
            "that anyone can write (chat messages, log lines, pasted files), and this text is "
            "hostile on purpose: every one-digit group joins the next, and no stretch of 13 to "
            "19 ones passes Luhn. Checking stretch after stretch with luhn_valid reads the "
            "same digits again and again (and without the 19-digit limit, the work grows "
            "with the square of the length): a few hundred KB of it ties up the service for "
            "many seconds, a denial of service. Read each run of groups once: call "
            "luhn_sums() once per run, then check each stretch of 13 to 19 digits with one "
            "subtraction."
        )
        assert got == [HOSTILE_CARD], (
            f"find_cards({shown}) returned {got!r:.200}, expected {[HOSTILE_CARD]!r}: only "
            "the card at the end is a card (no stretch of 13 to 19 ones passes the Luhn "
            "checksum)."
        )
