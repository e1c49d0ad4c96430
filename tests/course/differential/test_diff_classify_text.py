"""Differential test: `classify_text` against the standard library, python-stdnum, and
the `may_send` gate.

Three things know the right answer here. Python's ``ipaddress`` module decides what an
IPv4 address is (0-255, no leading zeros) and whether it lies in one of RFC 1918's
three networks; the solution must agree on every generated dotted quad.
python-stdnum's ``stdnum.luhn`` decides which digit strings pass the Luhn check: a
valid number built with ``calc_check_digit`` and embedded among other digits and
separators must make the text restricted, and ``has_card`` must answer exactly what
stdnum says about every stretch of whole digit groups (see DIFFERENCES for what it
deliberately does not look at). And the ``may_send`` gate, handed the
``classify_text`` reference solution as its classifier, must decide exactly as the
policy table says for the level that classifier gives, disguises included.
"""

from __future__ import annotations

import ast
import ipaddress
import re
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st
from reference import load_solution, load_starter_docstring
from stdnum import luhn as stdnum_luhn

from tutor.course.layout import default_course_dir

classify = load_solution("classify_text")
may_send = load_solution("may_send")
STARTER_DOC = load_starter_docstring("02_mindful/classify_text.py")

# What the card rule (has_card) does on purpose that "find any digit string stdnum.luhn
# accepts" would not, and why. Each entry names the text in the starter's docstring that
# tells learners. The ipaddress comparison and the may_send gate have no
# differences: they must agree exactly.
DIFFERENCES = {
    "card length": (
        "stdnum.luhn accepts a digit string of any length ('0' and '18' pass); has_card "
        "only looks at stretches of 13 to 19 digits, the lengths of card numbers.",
        "13 to 19 digits",
    ),
    "whole groups only": (
        "a valid number glued to other digits with no space or hyphen between them is part "
        "of a longer group, and has_card never starts or ends a stretch inside a group: "
        "that keeps a long id or a 13-digit timestamp from turning into a card any more "
        "often than a single number does. stdnum would accept the digits cut out of it.",
        "glued to other",
    ),
    "separators": (
        "stdnum.luhn only takes digits; has_card joins groups across exactly one space or "
        "one hyphen (after NFKC, so a no-break space counts as a space). Dots, slashes, "
        "two spaces or a line break end the run.",
        "other separators",
    ),
}

RFC1918 = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]
octets = st.one_of(
    st.integers(min_value=0, max_value=255).map(str),
    st.sampled_from(["10", "172", "192", "168", "16", "31", "32", "15", "0", "255"]),
    st.integers(min_value=256, max_value=999).map(str),
    st.integers(min_value=0, max_value=99).map(lambda n: f"0{n}"),  # leading zero
)
quads = st.lists(octets, min_size=4, max_size=4).map(".".join)


def _expected_for_address(text: str) -> str:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return "public"
    return "internal" if any(address in network for network in RFC1918) else "public"


@given(quads, st.sampled_from(["{}", "host {} is up", "redis at {}:6379", "{}/24"]))
def test_addresses_agree_with_ipaddress(quad, template):
    assert classify.classify_text(template.format(quad)) == _expected_for_address(quad)


# --- The card rule against python-stdnum ------------------------------------------------

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
GOOD_SEPARATORS = (" ", "-")  # what joins two groups of one run
# What ends a run: has_card treats the two sides as separate numbers ("separators").
BREAKS = ("/", ".", "  ", "\n", ", ", " - ", "x", ": ", "\t")


def _valid_number(payload: str) -> str:
    return payload + stdnum_luhn.calc_check_digit(payload)


@st.composite
def _grouped(draw, digits: str) -> str:
    """`digits` cut into groups joined by single spaces or hyphens, as people type them."""
    groups, rest = [], digits
    while rest:
        size = draw(st.integers(min_value=1, max_value=8))
        groups.append(rest[:size])
        rest = rest[size:]
    out = groups[0]
    for group in groups[1:]:
        out += draw(st.sampled_from(GOOD_SEPARATORS)) + group
    return out


cards = st.text(alphabet="0123456789", min_size=12, max_size=18).map(_valid_number)
neighbours = st.text(alphabet="0123456789", min_size=1, max_size=8)


@st.composite
def card_in_context(draw) -> tuple[str, str]:
    """(text, card): a valid number with other numbers around it, never glued to them."""
    card = draw(cards)
    text = draw(_grouped(card))
    for side in ("before", "after"):
        for _ in range(draw(st.integers(min_value=0, max_value=3))):
            number = draw(neighbours)
            # A neighbour joins the run (single space or hyphen) or stands apart.
            joint = draw(st.sampled_from(GOOD_SEPARATORS + BREAKS))
            text = number + joint + text if side == "before" else text + joint + number
    prose = st.sampled_from(["", "card ", "ref ", "exp ", "12/34 ", "id=", "\u200b"])
    text = draw(prose) + text + draw(prose.map(lambda word: " " + word))
    if draw(st.booleans()):  # the same text, disguised: NFKC folds fullwidth digits
        text = text.translate(FULLWIDTH)
    return text, card


@settings(max_examples=150)  # keeps the file under ~10 s
@given(card_in_context())
@example(("card 4242 4242 4242 4242 12/34", "4242424242424242"))
@example(("ref 123 4242 4242 4242 4242", "4242424242424242"))
@example(("3782 822463 10005 5555-5555-5555-4444", "378282246310005"))
@example(("4242-4242-4242-4242-123", "4242424242424242"))
def test_embedded_card_is_restricted(case):
    text, card = case
    assert stdnum_luhn.is_valid(card) and 13 <= len(card) <= 19
    assert classify.classify_text(text) == "restricted", (text, card)


def _whole_group_stretches(text: str) -> list[str]:
    """Every stretch of whole groups, of any length, in every run of `text` (the oracle).

    Written independently of the solution: a plain scan, character by character.
    """
    runs: list[list[str]] = []
    groups: list[str] = []
    i = 0
    while i < len(text):
        if text[i] in "0123456789":
            j = i
            while j < len(text) and text[j] in "0123456789":
                j += 1
            groups.append(text[i:j])
            # One space or hyphen followed by a digit keeps the run going.
            if j + 1 < len(text) and text[j] in GOOD_SEPARATORS and text[j + 1] in "0123456789":
                i = j + 1
                continue
            runs.append(groups)
            groups = []
            i = j
        else:
            i += 1
    return [
        "".join(run[first:last])
        for run in runs
        for first in range(len(run))
        for last in range(first + 1, len(run) + 1)
    ]


def _stdnum_says_card(text: str) -> bool:
    return any(
        13 <= len(stretch) <= 19 and stdnum_luhn.is_valid(stretch)  # "card length"
        for stretch in _whole_group_stretches(text)  # "whole groups only", "separators"
    )


digit_soup = st.lists(
    st.tuples(neighbours, st.sampled_from(GOOD_SEPARATORS * 3 + BREAKS + ("",))),
    max_size=10,
).map(lambda parts: "".join(number + joint for number, joint in parts))


# One regex candidate per run, as the course's card rule was before has_card. has_card
# checks a superset of those stretches, so whatever that rule found, it must find too.
_SINGLE_CANDIDATE_RE = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])")


@settings(max_examples=150)
@given(st.one_of(digit_soup, card_in_context().map(lambda case: case[0])))
@example("1 " * 40)  # every stretch of ones fails Luhn: the slowest kind of run
@example("42424242424242421234")  # "whole groups only": one group of 20 digits
@example("4242.4242.4242.4242")  # "separators"
def test_has_card_agrees_with_stdnum_on_every_stretch(text):
    text = text.translate(ASCII_DIGITS)  # the oracle reads ASCII digits only
    found = classify.has_card(text)
    assert found is _stdnum_says_card(text), text
    single = any(
        stdnum_luhn.is_valid(m.group().replace(" ", "").replace("-", ""))
        for m in _SINGLE_CANDIDATE_RE.finditer(text)
    )
    assert found or not single, f"the single-candidate rule finds a card in {text!r}"


def test_differences_are_documented() -> None:
    for name, (why, phrase) in DIFFERENCES.items():
        assert phrase in STARTER_DOC, f"difference {name!r} ({why}) is not in the starter"


# --- may_send with the reference classifier plugged in ----------------------------------

# Text that mixes evidence of every level with the disguises the lesson names.
fragments = st.sampled_from([
    "AKIAIOSFODNN7EXAMPLE", "ABIAZ7VXQG3R5T2LWMBN", "ＡＫＩＡＩＯＳＦＯＤＮＮ７ＥＸＡＭＰＬＥ",
    "4242 4242 4242 4242", "4242 4242 4242 4241", "-----BEGIN PGP PRIVATE KEY BLOCK-----",
    "-----BEGIN PUBLIC KEY-----", "ann@example.com", "ann\u200b@example.com",
    "+44 20 7946 0958", "CONFI\u200bDENTIAL", "ＣＯＮＦＩＤＥＮＴＩＡＬ", "build-07.corp",
    "10.0.0.1", "１０.０.０.１", "172.32.0.1", "127.0.0.1", "\u200b", "\u00ad", " ", "\n",
    "12/34", "123 ", "-", "3782 822463 10005", "1733011200000",
])
texts = st.lists(st.one_of(fragments, st.text(max_size=12)), max_size=6).map("".join)


@settings(max_examples=200)
@given(st.one_of(texts, digit_soup), st.sampled_from(sorted(may_send.POLICY)))
def test_may_send_with_the_reference_classifier_follows_the_policy(text, destination):
    level = classify.classify_text(text)
    allowed, reason = may_send.may_send(text, destination, classify=classify.classify_text)
    limit = may_send.POLICY[destination]
    assert allowed is (may_send.LEVELS.index(level) <= may_send.LEVELS.index(limit)), text
    assert level in reason and destination in reason, (text, reason)


def _top_level(path: str) -> dict[str, str]:
    """name -> source of every top-level function and assignment in a course file."""
    tree = ast.parse((Path(default_course_dir()) / path).read_text("utf-8"))
    names = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.Assign)):
            name = node.name if isinstance(node, ast.FunctionDef) else ast.unparse(
                node.targets[0])
            names[name] = ast.unparse(node)
    return names


# The learner's part of classify_text; everything else in its starter is given.
LEARNER_PART = {"normalise", "_is_rfc1918", "classify_text"}
CARD_RULE = {"DIGIT_RUN_RE", "(MIN_CARD_DIGITS, MAX_CARD_DIGITS)", "LUHN_DOUBLED", "has_card"}


def test_the_starter_gives_the_reference_helpers():
    # The classify_text starter must carry the same given helpers as its solution, the
    # card rule included.
    reference = _top_level("solutions/classify_text.py")
    assert reference.keys() >= CARD_RULE, "the card rule moved: update CARD_RULE"
    for path, skip in (
        ("exercises/02_mindful/classify_text.py", LEARNER_PART),
    ):
        ours = _top_level(path)
        for name, code in reference.items():
            if name not in skip:
                assert ours.get(name) == code, f"{path} differs from the reference in {name}"
