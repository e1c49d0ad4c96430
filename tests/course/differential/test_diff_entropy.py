"""Differential test: the `entropy` reference solution against Yelp's detect-secrets.

detect-secrets (1.5.0) computes Shannon entropy in
``detect_secrets.plugins.high_entropy_strings``: ``Base64HighEntropyString`` and
``HexHighEntropyString`` share ``calculate_shannon_entropy``, which sums over the
characters of the plugin's alphabet, and the hex plugin lowers the score of strings
made only of digits. The solution must give the same numbers on strings of those
alphabets, and the same verdict on quoted tokens of 20 characters or more, except for
the differences below, which the starter's docstring tells the learner too.
"""

from __future__ import annotations

import math
import string

from detect_secrets.plugins.high_entropy_strings import (
    Base64HighEntropyString,
    HexHighEntropyString,
)
from hypothesis import assume, given
from hypothesis import strategies as st
from reference import load_solution, load_starter_docstring

solution = load_solution("entropy")
B64 = Base64HighEntropyString()  # limit 4.5
HEX = HexHighEntropyString()  # limit 3.0

DIFFERENCES = {
    "digits-only": (
        "For a hex string made only of digits (2 or more), detect-secrets subtracts "
        "1.2 / log2(len) from the entropy; shannon_entropy does not, so such tokens are "
        "judged by their plain entropy (more false positives on numbers, no blind spot "
        "for numeric keys)."
    ),
    "outside-alphabet": (
        "detect-secrets sums only over the characters of its alphabet (base64 plus '\\', "
        "or hex), so other characters count in len(s) but add no entropy; shannon_entropy "
        "counts every code point ('ключ' is 2.0 here, 0.0 there)."
    ),
    "min-length": (
        "detect-secrets has no minimum length for quoted strings, so it flags short hex "
        "strings (about 9 or more different digits); high_entropy_strings skips tokens "
        "shorter than MIN_LENGTH (20)."
    ),
}

# The token alphabet of the exercise (TOKEN_RE) without "=": padding is added apart.
TOKEN_CHARS = string.ascii_letters + string.digits + "+/_-"
HEX_NOT_ONLY_DIGITS = st.text(alphabet=string.hexdigits, min_size=1, max_size=80).filter(
    lambda s: not s.isdigit()
)


def _close(a: float, b: float) -> bool:
    # math.log(p, 2) in detect-secrets and math.log2 here differ in the last bits.
    return math.isclose(a, b, rel_tol=0, abs_tol=1e-9)


def _plain_entropy(s: str) -> float:
    """Shannon entropy over the string's own characters (what the exercise defines)."""
    n = len(s)
    return -sum(c / n * math.log2(c / n) for c in (s.count(ch) for ch in set(s)))


def test_differences_are_documented_in_the_starter():
    doc = load_starter_docstring("10_secrets/entropy.py")
    for needle in ("Compared with detect-secrets", "1.2 / log2(len(s))", "ключ",
                   "MIN_LENGTH"):
        assert needle in doc, f"the starter docstring should mention {needle!r}"
    assert set(DIFFERENCES) == {"digits-only", "outside-alphabet", "min-length"}


def test_empty_string():
    assert solution.shannon_entropy("") == 0.0 == B64.calculate_shannon_entropy("")
    assert HEX.calculate_shannon_entropy("") == 0.0


@given(st.text(alphabet=B64.charset, max_size=120))
def test_same_entropy_as_base64_plugin(s):
    assert _close(solution.shannon_entropy(s), B64.calculate_shannon_entropy(s))


@given(HEX_NOT_ONLY_DIGITS)
def test_same_entropy_as_hex_plugin(s):
    assert _close(solution.shannon_entropy(s), HEX.calculate_shannon_entropy(s))


@given(st.text(alphabet=string.digits, min_size=1, max_size=80))
def test_digits_only_difference_is_exactly_the_correction(s):
    # DIFFERENCES["digits-only"]: the hex plugin's correction, and nothing else.
    correction = 1.2 / math.log(len(s), 2) if len(s) > 1 else 0.0
    assert _close(solution.shannon_entropy(s), HEX.calculate_shannon_entropy(s) + correction)
    assert _close(solution.shannon_entropy(s), B64.calculate_shannon_entropy(s))


@given(st.text(max_size=60))
def test_any_text_is_plain_shannon_entropy(s):
    # Unicode, control characters, surrogates: the formula over the string's own
    # characters. detect-secrets gives the same number when its alphabet covers them.
    assume(s)
    got = solution.shannon_entropy(s)
    assert _close(got, _plain_entropy(s))
    own_alphabet = Base64HighEntropyString()
    own_alphabet.charset = "".join(set(s))
    assert _close(got, own_alphabet.calculate_shannon_entropy(s))


@given(st.text(alphabet=B64.charset, max_size=20), st.text(
    alphabet=st.characters(exclude_characters=B64.charset), min_size=1, max_size=20))
def test_outside_alphabet_difference(inside, outside):
    # DIFFERENCES["outside-alphabet"]: detect-secrets skips the other characters.
    s = inside + outside
    n = len(s)
    partial = -sum(c / n * math.log2(c / n)
                   for c in (s.count(ch) for ch in set(s) if ch in B64.charset))
    assert _close(B64.calculate_shannon_entropy(s), partial)
    assert _close(solution.shannon_entropy(s), _plain_entropy(s))


def _detect_secrets_findings(line: str) -> set[str]:
    found = B64.analyze_line(filename="config.py", line=line)
    found |= HEX.analyze_line(filename="config.py", line=line)
    return {secret.secret_value for secret in found}


TOKENS = st.builds(
    lambda body, pad: body + pad,
    st.text(alphabet=TOKEN_CHARS, min_size=20, max_size=64),
    st.sampled_from(["", "=", "=="]),
)
HEX_TOKENS = st.text(alphabet=string.hexdigits, min_size=20, max_size=64)


@given(st.one_of(TOKENS, HEX_TOKENS))
def test_same_verdict_on_quoted_tokens(token):
    # Tokens of 20 characters or more, in quotes as detect-secrets wants them.
    assume(not token.isdigit())  # DIFFERENCES["digits-only"]
    line = f'api_key = "{token}"'
    assert set(solution.high_entropy_strings(line)) == _detect_secrets_findings(line)


@given(st.text(alphabet=string.digits, min_size=20, max_size=64))
def test_digits_only_tokens_use_plain_entropy(token):
    # DIFFERENCES["digits-only"]: flagged here when the plain entropy is above 3.0.
    line = f'id = "{token}"'
    expected = [token] if _plain_entropy(token) > 3.0 else []
    assert solution.high_entropy_strings(line) == expected
    if HEX.calculate_shannon_entropy(token) > 3.0:  # then detect-secrets flags it too
        assert token in _detect_secrets_findings(line)


def test_digits_only_example_from_the_starter():
    pi = "31415926535897932384"
    assert solution.high_entropy_strings(f'n = "{pi}"') == [pi]
    assert _detect_secrets_findings(f'n = "{pi}"') == set()


@given(HEX_TOKENS.map(lambda s: s[:19]).filter(lambda s: not s.isdigit()))
def test_short_tokens_are_skipped(token):
    # DIFFERENCES["min-length"]: never a finding below 20 characters.
    line = f'k = "{token}"'
    assert solution.high_entropy_strings(line) == []


def test_short_hex_example():
    token = "0123456789ab"  # 12 different hex digits: 3.58 bits
    assert _detect_secrets_findings(f'k = "{token}"') == {token}
    assert solution.high_entropy_strings(f'k = "{token}"') == []
