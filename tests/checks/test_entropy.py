"""Hidden checks for `entropy`: shannon_entropy() and high_entropy_strings().

AWS_SECRET is the placeholder secret access key from AWS's documentation (see
ATTRIBUTION.md): not a real credential. The hashes are computed, not copied: the id
of git's empty tree (SHA-1 of "tree 0\\0"), the MD5 of the empty string and the
SHA-256 of b"aisec". Expected entropies were computed with math.log2.
"""

from __future__ import annotations

import math

import pytest

AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # AWS docs placeholder, 4.6628 bits
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's empty tree, 3.5848 bits
MD5_EMPTY = "d41d8cd98f00b204e9800998ecf8427e"  # MD5(""), 3.3911 bits
SHA256_AISEC = "ce7abeed13940096f8b1fec57a5be28720ee13cd5a76bfefc85e4e53160c39f0"  # 3.8644
PADDED_B64 = "O51CgdpuS+C9h+bZMGkH7s6Bdo5MSZE="  # base64 of 23 hash bytes, 4.5625 bits

WHY_MISSED = (
    "A scanner that misses it lets the key through into the prompt, log or commit."
)
WHY_NOISE = (
    "Flagging low-entropy text buries real findings in noise, and people stop reading "
    "the scanner's output."
)


def _close(got: object, expected: float) -> bool:
    return isinstance(got, float) and math.isclose(got, expected, rel_tol=0, abs_tol=1e-9)


def test_entropy_known_values(exercise):
    """shannon_entropy() gives the right number of bits per character"""
    cases = [
        ("ab", 1.0, "two characters, each with p = 1/2"),
        ("abcd", 2.0, "four characters, each with p = 1/4"),
        ("aab", 0.9182958340544896, "p(a) = 2/3 and p(b) = 1/3"),
        ("aaab", 0.8112781244591328, "p(a) = 3/4 and p(b) = 1/4"),
        ("0123456789abcdef", 4.0, "all 16 hex digits once: log2(16)"),
        (AWS_SECRET, 4.662814895472355, "AWS's placeholder secret access key"),
        (EMPTY_TREE, 3.584829508503261, "a 40-digit SHA-1 hash"),
    ]
    for text, expected, why in cases:
        got = exercise.shannon_entropy(text)
        assert _close(got, expected), (
            f"shannon_entropy({text!r}) returned {got!r}, expected the float {expected!r} "
            f"(within 1e-9): {why}. Use -sum(p * math.log2(p)) with p = count / len(s); "
            "math.log() without a base gives nats, not bits. Scanners compare this number "
            "with limits in bits (4.5 and 3.0), so a wrong unit moves every decision."
        )


def test_entropy_of_empty_and_repeated(exercise):
    """shannon_entropy() returns 0.0 for empty and single-character strings"""
    for text in ("", "a", "aaaa", "=" * 50, "🔑🔑🔑"):
        got = exercise.shannon_entropy(text)
        assert isinstance(got, float) and got == 0.0, (
            f"shannon_entropy({text!r}) returned {got!r}, expected 0.0 (a float): a string "
            "with at most one distinct character has no uncertainty at all (p = 1 and "
            "log2(1) = 0), and the empty string has nothing to measure. Guard against "
            "dividing by len(s) == 0."
        )


def test_entropy_counts_code_points(exercise):
    """shannon_entropy() counts characters (code points), not bytes"""
    cases = [
        ("ключ", 2.0, "four different Cyrillic letters"),
        ("🔑🔑ab", 1.5, "p(🔑) = 1/2, p(a) = p(b) = 1/4"),
        ("ééé", 0.0, "one character, 'é' (U+00E9), three times"),
        ("e\u0301e\u0301", 1.0, "'e' and the combining accent U+0301, twice each"),
    ]
    for text, expected, why in cases:
        got = exercise.shannon_entropy(text)
        assert _close(got, expected), (
            f"shannon_entropy({text!r}) returned {got!r}, expected {expected!r}: {why}. "
            "Count the str's characters as Python iterates them; encoding to UTF-8 first "
            "counts bytes, and 'ключ' would score 2.5. Prompts and logs are full of "
            "non-ASCII text, and a scanner must give it stable, explainable numbers."
        )


def test_entropy_rejects_non_text(exercise):
    """shannon_entropy() raises TypeError for anything that is not a str"""
    for value in (b"wJalrXUtnFEMI/K7MDENG", None, 12345, ["a", "b"]):
        with pytest.raises(TypeError):
            got = exercise.shannon_entropy(value)
            pytest.fail(
                f"shannon_entropy({value!r}) returned {got!r}, expected TypeError: the "
                "function measures text. Bytes, lists and numbers can be iterated or "
                "counted too, and quietly returning a number for them hides a caller's "
                "bug (for example, scanning raw bytes that were never decoded).",
                pytrace=False,
            )


def test_finds_aws_example_secret(exercise):
    """Finds AWS's documented example secret key, wherever it is written"""
    texts = [
        f'aws_secret_access_key = "{AWS_SECRET}"',
        f"AWS_SECRET_ACCESS_KEY={AWS_SECRET}",
        f'{{"secret": "{AWS_SECRET}"}}',
        f"secret_key: {AWS_SECRET}",
        f"export KEY='{AWS_SECRET}'; ./deploy.sh",
        f"User: my key is {AWS_SECRET}, why does S3 say 403?",
    ]
    for text in texts:
        got = exercise.high_entropy_strings(text)
        assert got == [AWS_SECRET], (
            f"high_entropy_strings({text!r}) returned {got!r}, expected [{AWS_SECRET!r}]: "
            "the TOKEN_RE match is the 40-character key (4.66 bits per character, above "
            "4.5); quotes, ':' and a '=' before the key are not part of any token, and the "
            "names around it are too short or too regular. The scanner cannot "
            "know that this key is AWS's documentation example. " + WHY_MISSED
        )


def test_hex_tokens_use_the_hex_limit(exercise):
    """Judges hex tokens (hashes, hex keys) by the hex limit of 3.0"""
    cases = [
        (f"empty tree is {EMPTY_TREE}", EMPTY_TREE, "a 40-digit git SHA-1, 3.58 bits"),
        (f"md5('') = {MD5_EMPTY}", MD5_EMPTY, "a 32-digit MD5, 3.39 bits"),
        (f"HMAC_KEY={SHA256_AISEC}", SHA256_AISEC, "a 64-digit hex key, 3.86 bits"),
        (f"id {EMPTY_TREE.upper()}", EMPTY_TREE.upper(), "upper-case hex is hex too"),
        ("uuid 550e8400e29b41d4a716446655440000", "550e8400e29b41d4a716446655440000",
         "a UUID written without dashes, 3.25 bits"),
    ]
    for text, token, why in cases:
        got = exercise.high_entropy_strings(text)
        assert got == [token], (
            f"high_entropy_strings({text!r}) returned {got!r}, expected [{token!r}]: "
            f"{why}, above the hex limit of 3.0. Hex has only 16 symbols, so no hex "
            "string can reach 4.5 bits (log2(16) = 4): check for hex FIRST and use "
            "hex_limit, or every hex-encoded key slips through. (Hashes and UUIDs are "
            "the classic false positives that this rule accepts on purpose.)"
        )


def test_hex_means_only_hex_digits(exercise):
    """Classifies a token as hex only when every character is 0-9, a-f or A-F"""
    cases = [
        ("code 0123_4567_89ab_cdef_0123_4567", "underscores between hex digits"),
        ("uuid 550e8400-e29b-41d4-a716-446655440000", "a UUID with its dashes"),
        ("build 0x4b825dc642cb6eb9a060e54bf8d69288", "a 0x prefix"),
    ]
    for text, what in cases:
        got = exercise.high_entropy_strings(text)
        assert got == [], (
            f"high_entropy_strings({text!r}) returned {got!r}, expected []: the token has "
            f"{what}, so it is not hex; as a base64 token its entropy is below 4.5. "
            "int(token, 16) is not a hex test: it accepts '_' between digits and a '0x' "
            "prefix. Compare the characters with HEX_CHARS instead. " + WHY_NOISE
        )


def test_ignores_low_entropy_strings(exercise):
    """Ignores long strings that are not random: repeats, words, paths, URLs"""
    texts = [
        "a" * 64,
        "0" * 40,
        "padding " + "ab" * 30,
        "deadbeef" * 5,
        "class AbstractSingletonProxyFactoryBean:",
        "password = hunter2hunter2hunter2",
        "path /usr/local/lib/python3.12/site-packages/",
        "see https://github.com/gitleaks/gitleaks/blob/master/README.md",
        "AWS_SECRET_ACCESS_KEY_ID_FOR_THE_STAGING_ACCOUNT",
        "",
        "no secrets in this sentence at all",
    ]
    for text in texts:
        got = exercise.high_entropy_strings(text)
        assert got == [], (
            f"high_entropy_strings({text!r}) returned {got!r}, expected []: no token of 20 "
            "characters or more in it is above its limit (repeats, words, paths and URLs "
            "have low entropy). " + WHY_NOISE
        )


def test_limits_are_strict_and_configurable(exercise):
    """Keeps only tokens strictly above the limits the caller passes"""
    hex_3 = "01234567" * 3  # 8 hex digits, equally often: exactly 3.0 bits
    b64_4 = "ghijklmnopqrstuv" * 2  # 16 non-hex letters, equally often: exactly 4.0 bits
    cases = [
        (hex_3, {}, [], "3.0 is not above the default hex limit of 3.0"),
        (hex_3, {"hex_limit": 2.99}, [hex_3], "3.0 is above a hex limit of 2.99"),
        (b64_4, {"b64_limit": 4.0}, [], "4.0 is not above a base64 limit of 4.0"),
        (b64_4, {"b64_limit": 3.99}, [b64_4], "4.0 is above a base64 limit of 3.99"),
        (AWS_SECRET, {"b64_limit": 4.7}, [], "4.66 is not above a base64 limit of 4.7"),
        (EMPTY_TREE, {"hex_limit": 3.6}, [], "3.58 is not above a hex limit of 3.6"),
        (EMPTY_TREE, {"b64_limit": 0.0, "hex_limit": 4.0}, [],
         "a hex token is judged by hex_limit (4.0), never by b64_limit"),
        (AWS_SECRET, {"b64_limit": 4.6, "hex_limit": 9.0}, [AWS_SECRET],
         "a base64 token is judged by b64_limit (4.6), never by hex_limit"),
    ]
    for token, kwargs, expected, why in cases:
        got = exercise.high_entropy_strings(f"value: {token}", **kwargs)
        args = "".join(f", {k}={v!r}" for k, v in kwargs.items())
        assert got == expected, (
            f"high_entropy_strings('value: {token}'{args}) returned {got!r}, expected "
            f"{expected!r}: {why}. Use the limits you are given, each for its own kind, "
            "and keep a token only when its entropy is strictly greater (>, as "
            "detect-secrets does). Teams tune these limits to their false-positive "
            "budget; a scanner that ignores them cannot be tuned."
        )


def test_minimum_length(exercise):
    """Skips tokens shorter than 20 characters, keeps tokens of exactly 20"""
    twenty = "0123456789abcdef0123"  # 20 hex digits, 3.92 bits
    nineteen = twenty[:19]  # 19 hex digits, 3.95 bits
    cases = [
        (f"k={twenty}", [twenty], "20 characters is long enough"),
        (f"k={nineteen}", [], "19 characters is too short, however random"),
        (f"k={nineteen}.", [], "the '.' is not part of the token, which stays 19 long"),
    ]
    for text, expected, why in cases:
        got = exercise.high_entropy_strings(text)
        assert got == expected, (
            f"high_entropy_strings({text!r}) returned {got!r}, expected {expected!r}: "
            f"{why}. MIN_LENGTH is 20 and a token of exactly MIN_LENGTH characters is "
            "checked (len(token) < MIN_LENGTH is skipped). Short strings give unreliable "
            "entropy values and endless false positives."
        )


def test_tokens_follow_token_re(exercise):
    """Splits tokens exactly where TOKEN_RE does: at '=', ':', quotes and non-ASCII"""
    cases = [
        (f"api_key={AWS_SECRET}", [AWS_SECRET], "the '=' after api_key ends that token"),
        (f"ключ{AWS_SECRET}", [AWS_SECRET], "Cyrillic letters are not token characters"),
        (f"{AWS_SECRET}é", [AWS_SECRET], "'é' ends the token"),
        (f"sig: '{PADDED_B64}',", [PADDED_B64], "base64 padding '=' stays in the token"),
        (f"{AWS_SECRET[:20]}={AWS_SECRET[20:]}", [],
         "an '=' in the middle ends a token, so this is two tokens of 21 and 20 "
         "characters, and neither can exceed 4.5 bits (log2(21) = 4.39): a blind spot of "
         "entropy scanning that regex rules have to cover"),
    ]
    for text, expected, why in cases:
        got = exercise.high_entropy_strings(text)
        assert got == expected, (
            f"high_entropy_strings({text!r}) returned {got!r}, expected {expected!r}: "
            f"{why}. Take the tokens from TOKEN_RE.finditer(text): splitting on "
            "whitespace glues 'api_key=' to the key, and \\w or str.isalnum() would glue "
            "letters of other scripts to it. A different token is a different finding, "
            "and allowlists and reviewers compare findings exactly."
        )


def test_order_and_repeats(exercise):
    """Returns every finding in order of appearance, repeats included"""
    text = (
        f"primary = {AWS_SECRET}\n"
        f"commit {EMPTY_TREE}\n"
        f"backup = {AWS_SECRET}\n"
        f"md5 {MD5_EMPTY}"
    )
    expected = [AWS_SECRET, EMPTY_TREE, AWS_SECRET, MD5_EMPTY]
    got = exercise.high_entropy_strings(text)
    assert got == expected, (
        f"high_entropy_strings(<four lines: key, SHA, the same key, MD5>) returned {got!r}, "
        f"expected {expected!r}: one entry per occurrence, in the order they appear. A "
        "set or dict loses the order and the second copy of the key; whoever cleans up "
        "needs to find every place a key was pasted."
    )


def test_rejects_non_text(exercise):
    """high_entropy_strings() raises TypeError for anything that is not a str"""
    for value in (AWS_SECRET.encode(), None, [AWS_SECRET]):
        with pytest.raises(TypeError):
            got = exercise.high_entropy_strings(value)
            pytest.fail(
                f"high_entropy_strings({value!r}) returned {got!r}, expected TypeError: "
                "decode bytes before scanning them. Returning [] for input you cannot "
                "read would report 'no secrets' for a file full of them.",
                pytrace=False,
            )


def test_long_input(exercise):
    """Handles long inputs (a megabyte of text) correctly"""
    lines = [f"log line {i}: user logged in from 10.0.{i % 256}.{i % 100}" for i in range(20_000)]
    text = "\n".join(lines) + f"\ntoken={AWS_SECRET}\n" + "a" * 1_000_000
    got = exercise.high_entropy_strings(text)
    assert got == [AWS_SECRET], (
        f"high_entropy_strings(<20,000 log lines, the key, then a million 'a's>) returned "
        f"{got!r:.200}, expected [{AWS_SECRET!r}]: only the key is random. Scanners run "
        "over whole log files and repositories, so each token must be handled once, in "
        "time proportional to its length."
    )
