"""Reference solution for `entropy`: Shannon entropy and a detect-secrets-style scan.

Entropy answers "how many bits of surprise per character does this string have,
judging only by how often each of its characters occurs?". Random keys score high,
words and repeated patterns score low. It says nothing about meaning: a SHA-1 hash
scores like a key, and "hunter2hunter2hunter2" scores like a word.
"""

from __future__ import annotations

import math
import re
from collections import Counter

MIN_LENGTH = 20
HEX_CHARS = frozenset("0123456789abcdefABCDEF")
# A longest run of base64 characters (standard and URL-safe alphabets), then up to
# two "=" of padding. ASCII only: [A-Za-z0-9], not \w, which also matches "é" or "ж".
TOKEN_RE = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")


def shannon_entropy(s: str) -> float:
    """Bits per character of `s`, over its own character frequencies."""
    if not isinstance(s, str):
        raise TypeError(f"s must be a str, not {type(s).__name__}")
    if not s:
        return 0.0
    n = len(s)
    entropy = 0.0
    # Counter iterates a str by code point, so "ключ" or "🔑" need no special case.
    for count in Counter(s).values():
        p = count / n
        entropy -= p * math.log2(p)  # log2: the answer is in bits
    return entropy


def high_entropy_strings(
    text: str, b64_limit: float = 4.5, hex_limit: float = 3.0
) -> list[str]:
    """The tokens of `text` whose entropy is above the limit for their kind, in order."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    found: list[str] = []
    for match in TOKEN_RE.finditer(text):
        token = match.group()
        if len(token) < MIN_LENGTH:
            continue
        # Hex first: every hex string is also made of base64 characters, and hex only
        # has 16 symbols, so it can never reach 4.5 bits (log2(16) = 4). Judging it by
        # the base64 limit would let every hex key through.
        # Check the characters themselves: int(token, 16) would also accept "_"
        # between digits, which is not hex.
        limit = hex_limit if set(token) <= HEX_CHARS else b64_limit
        if shannon_entropy(token) > limit:  # strictly above, as detect-secrets does
            found.append(token)
    return found
