"""Reference solution for `pseudonymise`: placeholders out, real values back in."""

from __future__ import annotations

import re

EMAIL_PATTERN = (
    r"(?<![A-Za-z0-9._%+-])"  # start at the beginning of the address, never mid-run
    r"[A-Za-z0-9._%+-]+"  # local part
    r"@"
    r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"  # domain labels
    r"\.[A-Za-z]{2,}"  # a dot and a top-level domain of letters: "org.", the period stays out
)

PHONE_PATTERN = (
    r"(?<![0-9])"  # not the tail of a longer run of digits
    r"\+[1-9]"  # "+" and the first digit of the country code
    r"(?:[ -]?[0-9]){7,14}"  # 7 to 14 more digits, one space or hyphen allowed between them
    r"(?![0-9])"  # and no digit straight after: 8 to 15 digits in all
)

# One pass over the text with both patterns. At any position the email alternative is
# tried first, so "ann+2025550143@example.com" is one email, never an email cut in two
# by a phone number found inside it.
_PII_RE = re.compile(f"(?P<EMAIL>{EMAIL_PATTERN})|(?P<PHONE>{PHONE_PATTERN})")


def _identity(kind: str, value: str) -> str:
    """What makes two matches "the same value" for one kind of data."""
    if kind == "EMAIL":
        return value.lower()  # the patterns are ASCII-only, so lower() is enough
    return re.sub(r"[ -]", "", value)  # a phone number is its digits (and the "+")


def pseudonymise(text: str) -> tuple[str, dict[str, str]]:
    """Replace emails and international phone numbers with <EMAIL_n> / <PHONE_n>.

    Returns the new text and the mapping placeholder -> original value.
    """
    # Fail closed: returning a non-str unchanged would send it, PII and all, to the model.
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")

    mapping: dict[str, str] = {}
    seen: dict[tuple[str, str], str] = {}  # (kind, identity) -> placeholder
    next_number = {"EMAIL": 1, "PHONE": 1}

    def new_placeholder(kind: str) -> str:
        # Never hand out a placeholder that the input already contains: a user or an
        # injected document could have written "<EMAIL_1>" hoping that restore() turns
        # it into somebody's real address (for example inside an attacker's image URL).
        number = next_number[kind]
        while f"<{kind}_{number}>" in text:
            number += 1
        next_number[kind] = number + 1
        return f"<{kind}_{number}>"

    def replace(match: re.Match[str]) -> str:
        kind = match.lastgroup or "EMAIL"  # one of the two named groups always matched
        value = match.group()
        key = (kind, _identity(kind, value))
        if key not in seen:
            placeholder = new_placeholder(kind)
            seen[key] = placeholder
            mapping[placeholder] = value  # the first spelling is the one restored
        return seen[key]

    return _PII_RE.sub(replace, text), mapping


def restore(text: str, mapping: dict[str, str]) -> str:
    """Put the original values back for the placeholders that are keys of `mapping`."""
    keys = sorted((key for key in mapping if key), key=len, reverse=True)
    if not keys:
        return text
    # One regex made of the exact keys, longest first, applied in a single re.sub call:
    # the replacement text is never scanned again, so a value that itself looks like a
    # placeholder stays as it is. Exact keys also mean no look-alikes: "<email_1>",
    # "<EMAIL_01>" or a fullwidth digit never match "<EMAIL_1>".
    pattern = re.compile("|".join(re.escape(key) for key in keys))
    # A function as the replacement: values are inserted literally, so a backslash in a
    # value could never be read as a group reference.
    return pattern.sub(lambda match: mapping[match.group()], text)
