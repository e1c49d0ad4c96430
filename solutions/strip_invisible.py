"""Reference solution for `strip_invisible`: remove and report invisible format characters.

One linear pass over the text. Three rules decide what goes:

1. every code point of the Unicode Tags block, U+E0000 to U+E007F, assigned or not;
2. every other character whose general category is Cf ("format"): zero-width
   characters, bidi controls, the byte order mark, the soft hyphen and friends;
3. every lone surrogate (category Cs, U+D800 to U+DFFF). A valid str never holds
   them, and two of them side by side come back as ONE character after a trip
   through JSON: json.dumps writes "\\udb40\\udc41", a decoder reads U+E0041.

Everything else, including tabs, newlines, no-break spaces, combining accents and
variation selectors, is copied unchanged. There are no exceptions for U+200C ZERO
WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER (both Cf): Persian and Indic text and
emoji sequences lose them, a cost the starter documents and accepts because the
cleaned text goes to the model while the original is kept for display.
"""

from __future__ import annotations

import unicodedata

TAG_FIRST = 0xE0000
TAG_LAST = 0xE007F
# Tag characters U+E0020..U+E007E mirror printable ASCII 0x20..0x7E.
TAG_ASCII_FIRST = 0xE0020
TAG_ASCII_LAST = 0xE007E


def hide_in_tags(text: str) -> str:
    """ASCII `text` as invisible tag characters (the starter's helper, kept for experiments)."""
    return "".join(chr(TAG_FIRST + ord(char)) for char in text)


def _is_tag(char: str) -> bool:
    return TAG_FIRST <= ord(char) <= TAG_LAST


def strip_invisible(text: str) -> tuple[str, list[str]]:
    """Return `text` without invisible format characters, and what was removed."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")

    kept: list[str] = []  # collect pieces and join once: linear, even for huge inputs
    findings: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if _is_tag(char):
            # A run of tag characters is one hidden message: decode it so that a
            # reviewer reads what the model would have read.
            start = i
            hidden: list[str] = []
            while i < n and _is_tag(text[i]):
                code = ord(text[i])
                if TAG_ASCII_FIRST <= code <= TAG_ASCII_LAST:
                    hidden.append(chr(code - TAG_FIRST))
                i += 1
            findings.append(f"TAG CHARACTERS at {start}: {''.join(hidden)!r}")
            continue
        category = unicodedata.category(char)
        if category == "Cf":
            # Indexes refer to the ORIGINAL text, so a reviewer can find the spot.
            findings.append(f"U+{ord(char):04X} {unicodedata.name(char)} at {i}")
        elif category == "Cs":  # surrogates have no name in the Unicode database
            findings.append(f"U+{ord(char):04X} SURROGATE at {i}")
        else:
            kept.append(char)
        i += 1
    return "".join(kept), findings
