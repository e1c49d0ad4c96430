"""Spot random-looking strings, the way secret scanners do, with Shannon entropy.

The scenario
------------

Before a config file goes into a prompt, a log or a commit, you want to know whether
it holds a key. Keys with a known format (`AKIA...`, `ghp_...`) can be matched with a
regex: that is the next exercise, `secret_scan`. Many secrets have no such prefix: a
database password from a password manager, an HMAC signing key, an AWS *secret*
access key. What they share is that they look random. Shannon entropy puts a number
on "looks random", and scanners such as Yelp's detect-secrets flag strings whose
entropy is above a limit: by default 4.5 bits per character for base64-looking
strings and 3.0 for hex strings.

What to implement
-----------------

    shannon_entropy(s: str) -> float
    high_entropy_strings(text: str, b64_limit: float = 4.5, hex_limit: float = 3.0) -> list[str]

`shannon_entropy(s)` is the entropy of `s` over its own character frequencies, in
bits per character:

    H(s) = - sum over each distinct character c of  p(c) * log2(p(c))
    where p(c) = (number of times c occurs in s) / len(s)

- Characters are code points, what `len()` and iterating a str give you, so any text
  works: "ключ" has four different characters and an entropy of 2.0.
- The empty string has entropy 0.0, and so does any string of one repeated character.
- It returns a float; a `s` that is not a str (bytes, None...) raises TypeError.

`high_entropy_strings(text, b64_limit, hex_limit)` returns the likely secrets in text:

1. Tokens: every match of `TOKEN_RE` (below) in `text`, found with
   `TOKEN_RE.finditer(text)`. A token is a longest run of the characters
   `A-Z a-z 0-9 + / _ -`, plus up to two `=` at its end (base64 padding). Anything
   else ends a token: spaces, quotes, `:`, `.`, `,`, an `=` followed by more
   characters, and every non-ASCII character. So `api_key=AbC...` gives the tokens
   `api_key=` and `AbC...`.
2. Skip tokens shorter than `MIN_LENGTH` (20 characters).
3. A token made only of hex digits (`HEX_CHARS`: 0-9, a-f, A-F) is a *hex* token:
   keep it if its entropy is strictly greater than `hex_limit`. Every other token is a
   *base64* token: keep it if its entropy is strictly greater than `b64_limit`.
4. Return the kept tokens in the order they appear in `text`, one entry per
   occurrence (a key pasted twice is reported twice).
5. `text` that is not a str raises TypeError.

Examples
--------

>>> shannon_entropy("ab")
1.0
>>> shannon_entropy("aab")               # p(a) = 2/3, p(b) = 1/3
0.9182958340544896
>>> round(shannon_entropy("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), 3)
4.663
>>> high_entropy_strings('aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"')
['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']
>>> high_entropy_strings("empty tree is 4b825dc642cb6eb9a060e54bf8d69288fbee4904")
['4b825dc642cb6eb9a060e54bf8d69288fbee4904']
>>> high_entropy_strings("password = hunter2hunter2hunter2")
[]

`wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` is the placeholder secret access key from
AWS's documentation: not a real key, but a scanner cannot know that, and it should
flag it. `4b825dc6...` is the id of git's empty tree, a SHA-1 hash: hex, entropy
3.58, so it is flagged too. Hashes and UUIDs are the classic false positives of the
hex limit; real scanners answer them with allowlists.

Compared with detect-secrets
----------------------------

`shannon_entropy` gives the same numbers as detect-secrets' Base64HighEntropyString
and HexHighEntropyString (version 1.5.0) for strings of their characters, and
`high_entropy_strings` flags the same quoted tokens, with three deliberate
differences:

- Digits only: for a hex string made only of digits, detect-secrets subtracts
  1.2 / log2(len(s)) from the entropy (its authors found that such strings, mostly
  numbers, gave far more false positives than real findings). This exercise does not:
  "31415926535897932384", the first 20 digits of pi, scores 3.05 here and is flagged,
  while detect-secrets scores it 2.77 and lets it pass. The price is more false
  positives on long IDs and timestamps; the gain is a plain Shannon entropy and no
  blind spot for keys made of digits.
- Other characters: detect-secrets counts only the characters of its alphabet and
  ignores the rest ("ключ" scores 0.0 there); here every character counts.
- Length: detect-secrets has no MIN_LENGTH (it looks at quoted strings of any length),
  so it also flags short hex strings, such as 12 different hex digits; this exercise
  skips tokens shorter than 20 characters.

Why it matters
--------------

A key in a system prompt, a pasted config or a log line can be copied and used by
anyone who reads it (OWASP LLM02:2025 Sensitive Information Disclosure, LLM07:2025
System Prompt Leakage). Entropy is the net under the regex rules: it catches keys no
rule knows, at the price of false positives. Note how short strings cannot reach the
limit: a 20-character token has at most log2(20) = 4.32 bits per character, below
4.5, which is one reason why scanners match short key ids such as AWS's 20-character
`AKIA...` with regex rules instead.
"""

from __future__ import annotations

import math  # noqa: F401  (math.log2 is what you need)
import re
from collections import Counter  # noqa: F401  (counts characters for you)

MIN_LENGTH = 20
HEX_CHARS = frozenset("0123456789abcdefABCDEF")
# A longest run of base64 characters (standard and URL-safe alphabets), then up to
# two "=" of padding. ASCII only: [A-Za-z0-9], not \w, which also matches "é" or "ж".
TOKEN_RE = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")


def shannon_entropy(s: str) -> float:
    """Bits per character of `s`, over its own character frequencies."""
    # TODO: raise TypeError if `s` is not a str.
    # TODO: return 0.0 for "", else -sum(p * log2(p)) over the distinct characters.
    raise NotImplementedError("TODO: implement shannon_entropy(s)")


def high_entropy_strings(
    text: str, b64_limit: float = 4.5, hex_limit: float = 3.0
) -> list[str]:
    """The tokens of `text` whose entropy is above the limit for their kind, in order."""
    # TODO: raise TypeError if `text` is not a str.
    # TODO: for each match of TOKEN_RE: skip it if shorter than MIN_LENGTH; decide hex or
    #       base64 (hex when every character is in HEX_CHARS); keep it if its entropy is
    #       strictly greater than the limit for its kind.
    raise NotImplementedError("TODO: implement high_entropy_strings(text, ...)")
