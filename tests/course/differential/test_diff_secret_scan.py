"""Differential test: the `secret_scan` reference solution against Yelp's detect-secrets.

The exercise's DEFAULT_RULES claim three kinds that detect-secrets (1.5.0) also
detects: AWS access key ids (``AWSKeyDetector``, its first pattern), GitHub tokens
(``GitHubTokenDetector``) and private key headers (``PrivateKeyDetector``). On
generated lines that embed real-format keys in noise, whatever detect-secrets finds
of those kinds, ``scan`` must find too, on the same line. It may find more (for
example fine-grained ``github_pat_`` tokens, which detect-secrets 1.5.0 does not
know). The deliberate differences below are told in the starter's docstring as well,
and each has its own test; the generated cases exclude exactly them.
"""

from __future__ import annotations

import re
import string

from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.private_key import PrivateKeyDetector
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from reference import load_solution, load_starter_docstring

solution = load_solution("secret_scan")

DIFFERENCES = {
    "aws-glued": (
        "An AWS key id glued to more capital letters or digits (XAKIA..., AKIA...X) is "
        "part of a longer token and is not reported; detect-secrets reports the 20 "
        "characters anyway."
    ),
    "aws-a3t": (
        "detect-secrets (and gitleaks) also match the prefix A3T plus one character; AWS's "
        "list of identifier prefixes does not have it, and gitleaks marks it 'might not be "
        "a valid AWS token', so DEFAULT_RULES leave it out."
    ),
    "aws-secret-by-name": (
        "AWSKeyDetector's second pattern finds a quoted 40-character value after 'aws' and "
        "a word such as key, pass or token; DEFAULT_RULES have no such rule (the generic "
        "rule needs a name with api_key, secret, token or password)."
    ),
    "private-key-dashes": (
        "PrivateKeyDetector matches the words ('BEGIN RSA PRIVATE KEY', "
        "'PuTTY-User-Key-File-2') anywhere; the private-key rule needs the header's dashes "
        "and the colon after PuTTY's header, as real key files have them."
    ),
    "allow-comment": (
        "A line with an '# aisec:allow' comment is skipped; detect-secrets' own inline "
        "allowlist is 'pragma: allowlist secret', which the exercise does not know."
    ),
    "keyword-detector": (
        "detect-secrets' KeywordDetector (any quoted value after password=, secret: ...) "
        "is a different design from the generic-secret rule (16 or more token characters "
        "after a secret-sounding name) and is not compared."
    ),
}

AWS_RE = AWSKeyDetector.denylist[0]  # the key id pattern; [1] is the secret-by-name one
GITHUB_RE = GitHubTokenDetector.denylist[0]
PRIVATE_KEY_RES = PrivateKeyDetector.denylist
AWS_PREFIXES = ("AKIA", "ASIA", "ABIA", "ACCA")
UPPER_DIGITS = string.ascii_uppercase + string.digits
ALNUM = string.ascii_letters + string.digits

aws_ids = st.builds(
    lambda prefix, body: prefix + body,
    st.sampled_from(AWS_PREFIXES),
    st.text(alphabet=UPPER_DIGITS, min_size=16, max_size=16),
)
github_tokens = st.builds(
    lambda prefix, body: prefix + "_" + body,
    st.sampled_from(["ghp", "gho", "ghu", "ghs", "ghr"]),
    st.text(alphabet=ALNUM, min_size=36, max_size=36),
)
private_key_headers = st.sampled_from([
    "-----BEGIN PRIVATE KEY-----",
    "-----BEGIN RSA PRIVATE KEY-----",
    "-----BEGIN DSA PRIVATE KEY-----",
    "-----BEGIN EC PRIVATE KEY-----",
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    "-----BEGIN PGP PRIVATE KEY BLOCK-----",
    "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----",
    "PuTTY-User-Key-File-2: ssh-rsa",
    "PuTTY-User-Key-File-3: ssh-ed25519",
])
keys = st.one_of(aws_ids, github_tokens, private_key_headers)
# Noise: any characters but the line break; the separators next to a key are never a
# capital letter or a digit (DIFFERENCES["aws-glued"]).
noise = st.text(alphabet=st.characters(exclude_characters="\n"), max_size=30)
separator = st.characters(exclude_characters=UPPER_DIGITS + "\n")
left = st.one_of(st.just(""), st.builds(lambda n, s: n + s, noise, separator))
right = st.one_of(st.just(""), st.builds(lambda s, n: s + n, separator, noise))


@st.composite
def lines(draw) -> str:
    parts = [draw(left)]
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        parts += [draw(keys), draw(right)]
    return "".join(parts)


def _by_line(text: str) -> dict[int, list]:
    found: dict[int, list] = {}
    for match in solution.scan(text):
        found.setdefault(match.line, []).append(match)
    return found


def _real_header(line: str, match: re.Match[str]) -> bool:
    """A PrivateKeyDetector match in the shape of a real key file (dashes, colon)."""
    before, after = line[: match.start()], line[match.end():]
    if match.group().startswith("PuTTY"):
        return after.startswith(":")
    return before.endswith(("-----", "---- ")) and after.startswith(("-----", " ----"))


def _glued(line: str, match: re.Match[str]) -> bool:
    start, end = match.span()
    return (start > 0 and line[start - 1] in UPPER_DIGITS) or (
        end < len(line) and line[end] in UPPER_DIGITS
    )


def _assert_finds_what_detect_secrets_finds(text: str) -> None:
    found = _by_line(text)
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        assume(not solution.ALLOW_COMMENT_RE.search(line))  # DIFFERENCES["allow-comment"]
        ours = found.get(number, [])
        secrets = {(m.rule_id, m.secret) for m in ours}
        for match in AWS_RE.finditer(line):
            if match.group().startswith("A3T") or _glued(line, match):
                continue  # DIFFERENCES["aws-a3t"], DIFFERENCES["aws-glued"]
            assert ("aws-access-key-id", match.group()) in secrets, (line, ours)
        for match in GITHUB_RE.finditer(line):
            assert any(
                rule == "github-token" and match.group() in secret for rule, secret in secrets
            ), (line, ours)
        for pattern in PRIVATE_KEY_RES:
            for match in pattern.finditer(line):
                if not _real_header(line, match):
                    continue  # DIFFERENCES["private-key-dashes"]
                assert any(
                    rule == "private-key" and match.group() in secret
                    for rule, secret in secrets
                ), (line, ours)


def test_differences_are_documented_in_the_starter():
    doc = load_starter_docstring("10_secrets/secret_scan.py")
    for needle in ("Compared with detect-secrets", "glued", "A3T", "dashes",
                   "aisec:allow", "secret* access key"):
        assert needle in doc, f"the starter docstring should mention {needle!r}"


@given(lines())
def test_finds_every_key_detect_secrets_finds_in_a_line(line):
    _assert_finds_what_detect_secrets_finds(line)


@settings(max_examples=120)  # each example is up to four lines: keep the file fast
@given(st.lists(lines(), min_size=1, max_size=4), st.sampled_from(["\n", "\r\n"]))
def test_finds_them_on_the_right_line(many, newline):
    _assert_finds_what_detect_secrets_finds(newline.join(many))


@given(keys, left, right)
def test_an_embedded_key_is_always_found(key, before, after):
    # The direct form: the key the line was built around is reported.
    line = before + key + after
    assume(not solution.ALLOW_COMMENT_RE.search(line))
    secrets = [m.secret for m in solution.scan(line)]
    expected = key.split(" ssh-")[0] if key.startswith("PuTTY") else key
    assert any(expected in secret for secret in secrets), (line, secrets)


def test_github_fine_grained_tokens_are_found_beyond_detect_secrets():
    token = "github" + "_pat_" + "11ABCDEFG0" * 2 + "hj_" + "kLmNoPqRsT" * 5 + "uvwxyz123"
    assert [m.secret for m in solution.scan(f"GH={token}")] == [token]
    assert list(GitHubTokenDetector().analyze_string(f"GH={token}")) == []


def test_difference_aws_glued():
    line = "XAKIAZ7VXQG3R5T2LWMBN"
    assert list(AWSKeyDetector().analyze_string(line)) == ["AKIAZ7VXQG3R5T2LWMBN"]
    assert solution.scan(line) == []


def test_difference_aws_a3t():
    line = "key=A3TXZ7VXQG3R5T2LWMBN"
    assert list(AWSKeyDetector().analyze_string(line)) == ["A3TXZ7VXQG3R5T2LWMBN"]
    assert solution.scan(line) == []


def test_difference_aws_secret_by_name():
    line = 'aws_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"'
    found = list(AWSKeyDetector().analyze_string(line))
    assert found == ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]
    assert solution.scan(line) == []


def test_difference_private_key_dashes():
    for line in ("see BEGIN RSA PRIVATE KEY in the docs", "PuTTY-User-Key-File-2 format"):
        assert list(PrivateKeyDetector().analyze_string(line)), line
        assert solution.scan(line) == [], line


def test_difference_allow_comment():
    line = "aws_key = AKIAZ7VXQG3R5T2LWMBN  # aisec:allow"
    assert list(AWSKeyDetector().analyze_string(line)) == ["AKIAZ7VXQG3R5T2LWMBN"]
    assert solution.scan(line) == []


def test_all_differences_have_a_test():
    tested = {"aws-glued", "aws-a3t", "aws-secret-by-name", "private-key-dashes",
              "allow-comment"}
    assert set(DIFFERENCES) == tested | {"keyword-detector"}
