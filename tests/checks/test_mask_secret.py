"""Hidden checks for the warm-up exercise `mask_secret`.

AKIAIOSFODNN7EXAMPLE and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY are the placeholder
credentials published in AWS's IAM User Guide (see ATTRIBUTION.md); they are not keys.
"""

from __future__ import annotations

AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"  # 20 characters
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # 40 characters


def _call(secret: object, **kwargs: object) -> str:
    """How a call looks, for messages: mask_secret('abc', visible=0)."""
    args = [repr(secret)] + [f"{name}={value!r}" for name, value in kwargs.items()]
    return f"mask_secret({', '.join(args)})"


def _outcome(exercise, secret: object, **kwargs: object) -> tuple[str, object]:
    """('returned', value) or ('raised', exception), for checks that expect an error."""
    try:
        return "returned", exercise.mask_secret(secret, **kwargs)
    except Exception as exc:  # any exception is a result worth describing
        return "raised", exc


def _describe(kind: str, result: object) -> str:
    """'returned ...' or 'raised ValueError: ...', for messages."""
    if kind == "returned":
        return f"returned {result!r}"
    return f"raised {type(result).__name__}: {result}"


def _masked(secret: str, shown: int) -> str:
    """`secret` with all but its last `shown` characters replaced by '*'."""
    hidden = len(secret) - shown
    return "*" * hidden + secret[hidden:]


def _chars(count: int) -> str:
    return f"{count} character" if count == 1 else f"{count} characters"


def _caps_ascii(exercise) -> bool:
    """Whether the learner's code applies the quarter cap to a plain ASCII secret."""
    try:
        return exercise.mask_secret("hunter2!", visible=4) == "******2!"
    except Exception:  # another check reports exceptions; here it only means "unknown"
        return False


def _cause(exercise, secret: str, visible: int, got: object) -> str:
    """Name a known wrong answer when `got` is exactly what it returns, else ''.

    A failing check must blame the cause the learner's code really has: the untouched
    starter has no quarter cap and nothing else wrong, so its messages must say that.
    """
    n = len(secret)
    uncapped = _masked(secret, min(visible, n))
    if visible > n // 4 and got == uncapped and not _caps_ascii(exercise):
        return (
            f" Your code kept the last {_chars(min(visible, n))}, as many as visible asked "
            f"for: the quarter cap is missing (shown = min(visible, len(secret) // 4) = "
            f"{min(visible, n // 4)})."
        )
    size = len(secret.encode("utf-8"))
    by_bytes = _masked(secret, min(visible, size // 4, n))
    if size != n and got == by_bytes and by_bytes != _masked(secret, min(visible, n // 4)):
        return (
            f" Your code kept the last {_chars(min(visible, size // 4, n))}, which is "
            f"min({visible}, {size} // 4): the cap was computed from the UTF-8 byte count "
            f"instead of len(secret) ({n} // 4 = {n // 4})."
        )
    return ""


def test_masks_typical_api_key(exercise):
    """Masks a typical API key, keeping only its last 4 characters"""
    cases = [
        (AWS_KEY_ID, "*" * 16 + "MPLE"),
        (AWS_SECRET, "*" * 36 + "EKEY"),
    ]
    for secret, expected in cases:
        got = exercise.mask_secret(secret)
        assert got == expected, (
            f"{_call(secret)} returned {got!r}, expected {expected!r}: a "
            f"{len(secret)}-character key keeps its last 4 characters (the default "
            "visible=4 is below the cap of a quarter) and every other character becomes "
            "'*'. That is enough for a person to tell keys apart, and not enough to use one."
        )


def test_short_secrets_fully_masked(exercise):
    """Fully masks secrets shorter than 4 characters"""
    cases = [("a", {}), ("ab", {}), ("abc", {}), ("7x!", {"visible": 1}), ("é1", {"visible": 2})]
    for secret, kwargs in cases:
        expected = "*" * len(secret)
        got = exercise.mask_secret(secret, **kwargs)
        assert got == expected, (
            f"{_call(secret, **kwargs)} returned {got!r}, expected {expected!r}: "
            f"{len(secret)} // 4 is 0, so no character may be shown. Showing even one "
            f"character of a {len(secret)}-character secret gives away "
            f"{100 // len(secret)}% of it."
            + _cause(exercise, secret, int(kwargs.get("visible", 4)), got)
        )


def test_quarter_cap(exercise):
    """Never shows more than a quarter of the secret, even when asked for more"""
    cases = [
        ("hunter2!", 4, "******2!"),  # 8 // 4 = 2
        ("123456", 4, "*****6"),  # a 6-digit PIN: 6 // 4 = 1
        ("abcdefg", 4, "******g"),  # 7 // 4 = 1
        ("abcd", 4, "***d"),  # 4 // 4 = 1
        ("abcdefghijkl", 4, "*********jkl"),  # 12 // 4 = 3
        (AWS_KEY_ID, 100, "*" * 15 + "AMPLE"),  # 20 // 4 = 5
        (AWS_KEY_ID, 5, "*" * 15 + "AMPLE"),
    ]
    for secret, visible, expected in cases:
        got = exercise.mask_secret(secret, visible=visible)
        cap = len(secret) // 4
        assert got == expected, (
            f"{_call(secret, visible=visible)} returned {got!r}, expected {expected!r}: "
            f"the secret has {len(secret)} characters, so at most {len(secret)} // 4 = {cap} "
            f"may stay visible, and min({visible}, {cap}) = {min(visible, cap)}. Short secrets "
            "need the cap: showing 4 digits of a 6-digit PIN, say, would leave only 100 "
            "guesses."
        )


def test_visible_zero_masks_everything(exercise):
    """visible=0 masks every character"""
    for secret in (AWS_KEY_ID, "hunter2!", "abcdefghijkl"):
        expected = "*" * len(secret)
        got = exercise.mask_secret(secret, visible=0)
        assert got == expected, (
            f"{_call(secret, visible=0)} returned {got!r}, expected {expected!r}: zero "
            "visible characters means everything is masked. A common slip is slicing with "
            "secret[-shown:], which is the WHOLE string when shown is 0 (because -0 == 0)."
        )


def test_negative_visible_rejected(exercise):
    """Rejects a negative visible count with ValueError"""
    for visible in (-1, -4, -100):
        kind, result = _outcome(exercise, AWS_KEY_ID, visible=visible)
        detail = _describe(kind, result)
        assert kind == "raised" and isinstance(result, ValueError), (
            f"{_call(AWS_KEY_ID, visible=visible)} {detail}, expected it to raise "
            "ValueError: a negative count is a bug in the caller, so say so loudly. Negative "
            "numbers count from the other end in Python slices, so accepting one silently "
            "can reveal the start of the secret instead of hiding it."
        )


def test_empty_secret(exercise):
    """Returns an empty string for an empty secret"""
    for kwargs in ({}, {"visible": 0}, {"visible": 10, "mask_char": "#"}):
        got = exercise.mask_secret("", **kwargs)
        assert got == "", (
            f"{_call('', **kwargs)} returned {got!r}, expected '': there is nothing to "
            "mask, and the output must be exactly as long as the input. Empty values are "
            "common (an unset environment variable), so this must not crash or invent text."
        )


def test_non_ascii_secret(exercise):
    """Counts characters, not bytes, in non-ASCII secrets"""
    cases = [
        ("ключ-доступа-2025", "*************2025"),  # 17 characters, 4 shown
        ("Schlüssel🔑ÄÖÜß", "***********ÖÜß"),  # 14 characters, cap 3
        ("密码密码密码密码", "******密码"),  # 8 characters, cap 2
        ("🔑🔒🔓🗝", "***🗝"),  # 4 characters, cap 1
    ]
    for secret, expected in cases:
        got = exercise.mask_secret(secret)
        n = len(secret)
        cause = _cause(exercise, secret, 4, got) or (
            " Work on the str itself: counting bytes, or slicing encoded text, shows or hides "
            "the wrong number of characters and can cut one in half."
        )
        assert got == expected, (
            f"{_call(secret)} returned {got!r}, expected {expected!r}: the secret has {n} "
            f"characters (code points, what len() counts; {len(secret.encode('utf-8'))} "
            f"UTF-8 bytes), so min(4, {n} // 4) = {min(4, n // 4)} stay visible.{cause}"
        )


def test_output_length_matches(exercise):
    """Output is exactly as long as the secret, with one mask character per hidden one"""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    for length in range(0, 34):
        secret = "".join(alphabet[(7 * i + length) % len(alphabet)] for i in range(length))
        for visible in (0, 1, 2, 4, 8, 50):
            got = exercise.mask_secret(secret, visible=visible)
            assert isinstance(got, str) and len(got) == length, (
                f"{_call(secret, visible=visible)} returned {got!r} "
                f"({len(got) if isinstance(got, str) else type(got).__name__} characters), "
                f"expected a str of exactly {length} characters: one mask character for each "
                "hidden character. A result of a different length is not a masked copy of the "
                "secret, and for short secrets it can mean characters leaked."
            )
            hidden = length - min(visible, length // 4)
            assert got[:hidden] == "*" * hidden, (
                f"{_call(secret, visible=visible)} returned {got!r}, expected it to start "
                f"with {hidden} '*': only min({visible}, {length} // 4) = {length - hidden} "
                "characters at the end may be shown, and everything before them is masked."
                + _cause(exercise, secret, visible, got)
            )


def test_hidden_part_never_appears(exercise):
    """Never reveals the hidden part, even when the tail repeats earlier in the secret"""
    cases = [
        ("x" * 20, "*" * 16 + "xxxx"),  # every character equals the visible tail
        ("abcd1234abcd", "*********bcd"),  # the tail also starts the secret; cap 3
        ("MPLE-" + AWS_KEY_ID, "*" * 21 + "MPLE"),  # the tail text also occurs at the start
        ("sk-test-sk-test-sk-test", "*" * 19 + "test"),  # a repeating key
        ("****abcd****abcd", "*" * 12 + "abcd"),  # the secret contains the mask character
    ]
    for secret, expected in cases:
        got = exercise.mask_secret(secret)
        hidden = len(secret) - min(4, len(secret) // 4)
        pairs = zip(str(got)[:hidden], secret[:hidden], strict=False)
        leaks = [i for i, (out, real) in enumerate(pairs) if out == real and real != "*"]
        where = (
            f" (position {leaks[0]} shows {got[leaks[0]]!r}, which should be hidden)"
            if leaks
            else ""
        )
        cause = _cause(exercise, secret, 4, got) or (
            " Decide what to show by position (the last few characters), never by which "
            "characters appear in the tail: matching by content, or replacing text with "
            "str.replace, reveals the start of a secret whose characters repeat."
        )
        assert got == expected, (
            f"{_call(secret)} returned {got!r}{where}, expected {expected!r}: only the last "
            f"min(4, {len(secret)} // 4) = {min(4, len(secret) // 4)} characters may be "
            f"shown.{cause}"
        )


def test_mask_char_rules(exercise):
    """Uses any single mask character and rejects an empty or multi-character one"""
    for mask_char in ("#", "•", "x"):
        expected = mask_char * 16 + "MPLE"
        got = exercise.mask_secret(AWS_KEY_ID, mask_char=mask_char)
        assert got == expected, (
            f"{_call(AWS_KEY_ID, mask_char=mask_char)} returned {got!r}, expected "
            f"{expected!r}: every hidden character becomes one {mask_char!r}."
        )
    for mask_char in ("", "**", "ab"):
        kind, result = _outcome(exercise, AWS_KEY_ID, mask_char=mask_char)
        detail = _describe(kind, result)
        assert kind == "raised" and isinstance(result, ValueError), (
            f"{_call(AWS_KEY_ID, mask_char=mask_char)} {detail}, expected it to raise "
            "ValueError: the mask must be exactly one character, otherwise the output is no "
            "longer as long as the secret (an empty mask would even drop the hidden part)."
        )


def test_rejects_non_text_secret(exercise):
    """Refuses a secret that is not text (bytes, None, a number) with TypeError"""
    for secret in (AWS_KEY_ID.encode(), None, 12345678):
        kind, result = _outcome(exercise, secret)
        detail = _describe(kind, result)
        assert kind == "raised" and isinstance(result, TypeError), (
            f"{_call(secret)} {detail}, expected it to raise TypeError: the signature "
            "says secret is a str. Converting with str() would mask the text \"b'...'\" or "
            "'None' instead of a key and hide a bug in the caller; failing loudly is safer."
        )
