"""Reference solution for `verify_citations`: check a RAG answer's citations and quotes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

KINDS = ("no-citations", "unknown-source", "lookalike-id", "unsupported-quote")

# A few letters that Unicode's confusables data (UTS #39) maps to Latin look-alikes.
CONFUSABLES = {
    "а": "a", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i", "ј": "j",
    "о": "o", "р": "p", "ѕ": "s", "х": "x", "ο": "o", "ν": "v",
}

# A citation: [id] or [id, id, ...]. An id is a run of anything but whitespace, commas,
# brackets and parentheses, so a Cyrillic look-alike id is still seen as a citation.
# A bracket followed directly by "(" is a Markdown link, not a citation.
_ID = r"[^\s,\[\]()]+"
_CITATION = re.compile(rf"\[\s*({_ID}(?:\s*,\s*{_ID})*)\s*\](?!\()")
_ID_IN_GROUP = re.compile(_ID)
# A quote: from " or “ to the next " or ”.
_QUOTE = re.compile(r"[\"“]([^\"“”]*)[\"”]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})


@dataclass(frozen=True)
class Problem:
    """Something in the answer that the sources do not back up."""

    kind: str  # one of KINDS
    offset: int  # where in the answer: the id's first character, or the opening quote mark
    text: str  # the cited id, or the quoted text as written; "" for no-citations
    detail: str  # a sentence for a human


def _normalise_text(text: str) -> str:
    """Whitespace runs become one space; typographic apostrophes become '."""
    return " ".join(text.translate(_APOSTROPHES).split())


def loose(source_id: str) -> str:
    """Given, complete: a key under which look-alike ids collide ('dос-03' and 'doc-3': 'doc3')."""
    key = unicodedata.normalize("NFKC", source_id)
    key = "".join(CONFUSABLES.get(ch, ch) for ch in key).casefold()
    key = "".join(ch for ch in key if ch.isalnum())
    return re.sub(r"\d+", _plain_number, key)


def _plain_number(match: re.Match[str]) -> str:
    """'007' -> '7', '٠٣' (Arabic-Indic) -> '3'. Not with int(): an id may hold thousands of
    digits, and int() refuses, by default, strings of more than 4,300 digits."""
    digits = "".join(str(unicodedata.digit(ch)) for ch in match.group())
    return digits.lstrip("0") or "0"


def verify_citations(answer: str, sources: dict[str, str]) -> list[Problem]:
    """Every problem with the citations and quotes in `answer`, in order of offset."""
    if not isinstance(answer, str):
        raise TypeError(f"answer must be a str, not {type(answer).__name__}")
    real_by_loose: dict[str, str] = {}
    for source_id in sorted(sources):
        real_by_loose.setdefault(loose(source_id), source_id)
    normalised_sources = {sid: _normalise_text(body) for sid, body in sources.items()}

    problems: list[Problem] = []
    groups = list(_CITATION.finditer(answer))
    if not groups:
        problems.append(Problem("no-citations", 0, "", "the answer cites no source at all"))
    for group in groups:
        for id_match in _ID_IN_GROUP.finditer(answer, group.start(1), group.end(1)):
            cited = id_match.group()
            if cited in sources:
                continue
            # Never "correct" a near miss: report it, and do not use that source.
            twin = real_by_loose.get(loose(cited))
            if twin is not None:
                problems.append(Problem("lookalike-id", id_match.start(), cited,
                                        f"looks like {twin!r} but is not that id"))
            else:
                problems.append(Problem("unknown-source", id_match.start(), cited,
                                        "no source has this id"))

    for quote in _QUOTE.finditer(answer):
        wanted = _normalise_text(quote.group(1))
        if not wanted:
            continue
        # Attributed = a citation group follows the closing quote mark, after whitespace only.
        group = _CITATION.match(answer, _skip_space(answer, quote.end()))
        if group is None:
            continue
        cited = _ID_IN_GROUP.findall(group.group(1))
        if not any(wanted in normalised_sources[c] for c in cited if c in sources):
            problems.append(Problem("unsupported-quote", quote.start(), quote.group(1),
                                    f"not found word for word in {', '.join(cited)}"))
    return sorted(problems, key=lambda p: (p.offset, KINDS.index(p.kind)))


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos
