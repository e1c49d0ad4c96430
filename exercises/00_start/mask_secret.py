"""Warm-up: mask a secret before anyone sees it.

This exercise is almost finished. It is here so that you can try the loop you will
use for every exercise in the course:

    edit this file -> save -> `aisec check mask_secret` -> read the messages -> fix

(Or run `aisec watch mask_secret` once and let it re-grade every time you save.)

What to implement
-----------------

    mask_secret(secret: str, visible: int = 4, mask_char: str = "*") -> str

returns `secret` with every character replaced by `mask_char`, except the last
`visible` characters. Call it before an API key, token or password is written to a
log, shown in a UI or put into a prompt. The result is exactly as long as the secret.

Most of the function is written. Two rules are missing; look for the TODO lines:

1. A negative `visible` is a caller's mistake: raise `ValueError`.
2. Never show more than a quarter of the secret: at most `len(secret) // 4`
   characters may stay visible, however many the caller asks for. So a secret
   shorter than 4 characters is masked completely.

Examples
--------

>>> mask_secret("AKIAIOSFODNN7EXAMPLE")   # 20 characters: 4 shown (the cap is 5)
'****************MPLE'
>>> mask_secret("hunter2!")               # 8 characters: the cap is 8 // 4 = 2
'******2!'
>>> mask_secret("abc")                    # 3 characters: the cap is 0
'***'
>>> mask_secret("AKIAIOSFODNN7EXAMPLE", visible=0, mask_char="#")
'####################'

(`AKIAIOSFODNN7EXAMPLE` is the placeholder access key ID from AWS's documentation,
not a real key.)

Why it matters
--------------

Security credentials are one of the kinds of sensitive information named in
OWASP LLM02:2025 Sensitive Information Disclosure. A full key that ends up in a log
file, a screenshot, an error message or a prompt sent to someone else's model can
be copied and used by anyone who reads it. Keeping the last few characters lets a
person tell two keys apart without being able to use either.

But "the last 4" is most of a short secret. Show 4 digits of a 6-digit PIN and only
the first 2 are unknown: 100 guesses. The quarter rule keeps the visible part small
whatever the length. (Keeping the length does tell a reader how long the secret is;
this function accepts that trade-off.)
"""

from __future__ import annotations


def mask_secret(secret: str, visible: int = 4, mask_char: str = "*") -> str:
    """Return `secret` with all but (at most) its last `visible` characters masked.

    The exact rules, each one tested by a hidden check:

    - Characters are code points, i.e. what `len()` counts: "ключ🔑" has 5.
    - shown = min(visible, len(secret) // 4). The last `shown` characters are kept;
      each character before them becomes one `mask_char`.
    - So the result always has len(secret) characters, `visible=0` masks every
      character, and an empty secret gives "".
    - `visible` below 0 raises ValueError.
    - `secret` that is not a str (bytes, None, ...) raises TypeError.
    - `mask_char` must be a str of exactly one character: "" or "**" raises
      ValueError, a non-str raises TypeError.
    """
    if not isinstance(secret, str):
        raise TypeError(f"secret must be a str, not {type(secret).__name__}")
    if not isinstance(mask_char, str):
        raise TypeError(f"mask_char must be a str, not {type(mask_char).__name__}")
    if len(mask_char) != 1:
        raise ValueError(f"mask_char must be exactly one character, got {mask_char!r}")

    # TODO 1: a negative `visible` makes no sense. Raise ValueError for it.

    # TODO 2: never show more than a quarter of the secret. Limit `shown` to
    #         len(secret) // 4 (integer division, so it rounds down).
    shown = visible

    hidden = len(secret) - shown  # how many characters to mask
    return mask_char * hidden + secret[hidden:]
