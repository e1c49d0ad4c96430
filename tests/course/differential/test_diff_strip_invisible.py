"""Differential test for `strip_invisible`: the reference solution against unicodedata.

The starter states one rule: remove every character whose ``unicodedata.category`` is
"Cf" (format), keep everything else, and report what went. On top of that rule it
documents exactly two deliberate differences, listed in ``DIFFERENCES`` below. This
file computes, independently of the solution, which characters the rule removes, and
checks the solution's cleaned text and findings against it:

- every code point from U+0000 to U+10FFFF, in one string (so every Cf character
  Python's Unicode database knows, every unassigned one, every surrogate);
- text that hypothesis builds from the characters attackers and real writers use:
  Cf, Zs, Cc, Co, Cn, Cs, combining marks, variation selectors, tag characters,
  bidi controls, emoji ZWJ sequences, Persian with ZWNJ, Sinhala with ZWJ.

The two joiners U+200C and U+200D are Cf and get NO exception (the starter explains
the cost), so they are not in ``DIFFERENCES``: the plain rule already removes them.
"""

from __future__ import annotations

import ast
import json
import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from reference import load_solution, load_starter_docstring

strip_invisible = load_solution("strip_invisible").strip_invisible

TAG_FIRST, TAG_LAST = 0xE0000, 0xE007F

# What the solution does that "remove exactly the category Cf" would not, and why. The
# expected result below includes these cases on purpose; nothing else may differ.
DIFFERENCES = {
    "Tags block, not Cf": (
        "Every code point from U+E0000 to U+E007F is removed, also the unassigned ones "
        "(category Cn: U+E0000, U+E0002..U+E001F). They draw as nothing, just like the "
        "assigned tag characters, and an older Unicode database may not know a newer one."
    ),
    "Lone surrogates (Cs)": (
        "U+D800..U+DFFF are removed. json.loads() accepts them, and two of them brought "
        "together by the filter itself become one tag character after a JSON round trip."
    ),
}

# Phrases of the starter's docstring that document each difference to the learner.
DOCUMENTED_IN_STARTER = {
    "Tags block, not Cf": "whether or not\n   Unicode has assigned it",
    "Lone surrogates (Cs)": "every lone surrogate, U+D800 to U+DFFF",
}

FINDING_RE = re.compile(r"U\+([0-9A-F]{4,6}) (.+) at (\d+)")
TAG_RUN_RE = re.compile(r"TAG CHARACTERS at (\d+): (.*)", re.DOTALL)


def _is_tag(char: str) -> bool:
    return TAG_FIRST <= ord(char) <= TAG_LAST


def expected_removed(char: str) -> bool:
    """The starter's rule, from unicodedata plus the two DIFFERENCES."""
    category = unicodedata.category(char)
    if _is_tag(char):  # DIFFERENCES["Tags block, not Cf"]
        return True
    if category == "Cs":  # DIFFERENCES["Lone surrogates (Cs)"]
        return True
    return category == "Cf"


def _tag_run_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and _is_tag(text[end]):
        end += 1
    return end


def assert_matches_rule(text: str) -> None:
    """The solution's answer for `text` agrees with `expected_removed`, finding by finding."""
    cleaned, findings = strip_invisible(text)
    removed = {i for i, char in enumerate(text) if expected_removed(char)}
    expected_cleaned = "".join(char for i, char in enumerate(text) if i not in removed)
    assert cleaned == expected_cleaned, (
        f"cleaned text differs for {text[:80]!r}: got {cleaned[:80]!r}, "
        f"expected {expected_cleaned[:80]!r}"
    )

    covered: set[int] = set()
    last_start = -1
    for finding in findings:
        run = TAG_RUN_RE.fullmatch(finding)
        single = FINDING_RE.fullmatch(finding)
        if run:
            start = int(run.group(1))
            assert _is_tag(text[start]) and (start == 0 or not _is_tag(text[start - 1])), (
                f"{finding!r}: index {start} does not start a run of tag characters"
            )
            end = _tag_run_end(text, start)
            hidden = "".join(
                chr(ord(char) - TAG_FIRST)
                for char in text[start:end]
                if 0x20 <= ord(char) - TAG_FIRST <= 0x7E
            )
            assert ast.literal_eval(run.group(2)) == hidden, (
                f"{finding!r}: the run {start}..{end} decodes to {hidden!r}"
            )
            indexes = set(range(start, end))
        else:
            assert single, f"{finding!r} has neither finding format"
            code, name, index = int(single.group(1), 16), single.group(2), int(single.group(3))
            char = text[index]
            assert ord(char) == code and not _is_tag(char), (
                f"{finding!r}: text[{index}] is U+{ord(char):04X}"
            )
            expected_name = (
                "SURROGATE" if unicodedata.category(char) == "Cs" else unicodedata.name(char)
            )
            assert name == expected_name, f"{finding!r}: the name is {expected_name!r}"
            start, indexes = index, {index}
        assert start > last_start, f"{finding!r} is out of order in {findings!r}"
        last_start = start
        covered |= indexes
    assert covered == removed, (
        f"findings cover indexes {sorted(covered - removed)[:10]} that the rule keeps and "
        f"miss {sorted(removed - covered)[:10]} that it removes"
    )
    # The cleaned text survives a JSON round trip unchanged (no surrogates rejoin) and
    # cleaning it again finds nothing.
    assert json.loads(json.dumps(cleaned)) == cleaned
    assert strip_invisible(cleaned) == (cleaned, [])


def test_differences_are_documented_in_the_starter():
    docstring = load_starter_docstring("05_injection/strip_invisible.py")
    assert set(DOCUMENTED_IN_STARTER) == set(DIFFERENCES)
    for difference, phrase in DOCUMENTED_IN_STARTER.items():
        assert phrase in docstring, f"the starter does not document {difference!r}"
    # The joiners get no exception, and the starter says so.
    assert "removes them everywhere, with no exceptions" in docstring


def test_every_code_point_once():
    """All 1,114,112 code points in one string: each Cf goes, each other character stays."""
    assert_matches_rule("".join(map(chr, range(0x110000))))


# Strategies for the characters that matter here.
BIDI_CONTROLS = [chr(c) for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
                                  *range(0x2066, 0x206A))]
VARIATION_SELECTORS = [chr(c) for c in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))]
SEQUENCES = [
    "\U0001f469\u200d\U0001f4bb",  # woman technologist: ZWJ sequence
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family: two ZWJ
    "\u2764\ufe0f\u200d\U0001f525",  # heart on fire: VS16 then ZWJ
    "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag
    "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",  # England
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian with ZWNJ
    "\u06a9\u062a\u0627\u0628\u200c\u0647\u0627",  # Persian plural with ZWNJ
    "\u0dc1\u0dca\u200d\u0dbb\u0dd3",  # Sinhala "Sri": virama + ZWJ
    "\u0915\u094d\u200d\u0937",  # Devanagari half form: virama + ZWJ
    "\u0915\u094d\u200c\u0937",  # Devanagari explicit virama: virama + ZWNJ
    "\u8fbb\U000e0100",  # ideographic variation sequence
    "e\u0301",  # combining accent
    "\udb40\u200b\udc41",  # surrogates that would rejoin without the ZWSP
    "ig\u200bnore",
]

pieces = st.one_of(
    st.characters(categories=["Cf", "Zs", "Zl", "Zp", "Cc", "Co", "Cn", "Mn", "Mc", "Me"]),
    st.characters(categories=["L", "N", "P", "S"]),
    st.integers(TAG_FIRST, TAG_LAST).map(chr),
    st.integers(0xD800, 0xDFFF).map(chr),
    st.sampled_from(BIDI_CONTROLS),
    st.sampled_from(VARIATION_SELECTORS),
    st.sampled_from(SEQUENCES),
)


@given(st.lists(pieces, max_size=40).map("".join))
def test_generated_text_matches_the_rule(text):
    assert_matches_rule(text)


@given(st.lists(st.sampled_from(SEQUENCES), min_size=1, max_size=8).map(" ".join))
def test_real_sequences_match_the_rule(text):
    assert_matches_rule(text)
