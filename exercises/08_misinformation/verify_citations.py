"""Check that a RAG answer cites real sources and quotes them word for word.

The scenario
------------

Your support assistant answers from the company's documents (retrieval-augmented
generation). The model is told to cite the documents it used, like "[doc-3]", and to
quote them exactly. Models do not always do what they are told: they cite documents
that were never retrieved, invent ids that look almost right ("[doc-03]"), and put
words in quotation marks that no document contains. That is how a chatbot promises
a refund policy that does not exist.

Before the answer reaches a customer, this function checks the parts that can be
checked mechanically: that every citation points to a document that was really
provided, and that every attributed quote really is in that document.

What to implement
-----------------

    verify_citations(answer: str, sources: dict[str, str]) -> list[Problem]

`sources` maps source ids to the full text of the documents given to the model, for
example {"doc-1": "...", "doc-2": "..."}. Return a list of Problem(kind, offset, text,
detail) (the dataclass is below), sorted by offset, then by the position of the kind
in KINDS. Raise TypeError if `answer` is not a str.

The grammar:

- A citation is a pair of square brackets holding one or more ids separated by commas:
  "[doc-1]", "[doc-1, doc-2]". Spaces are allowed next to the brackets and commas.
  An id is a run of characters that are not whitespace, commas, square brackets or
  parentheses, so "[dос-1]" with Cyrillic letters IS a citation (of an unknown id).
  Brackets followed directly by "(" are a Markdown link, "[text](url)", not a citation.
  Square brackets that hold anything else ("[see below]") are not citations.
- A quote is text between double quotes: from a '"' or '“' to the next '"' or '”'.
  Quotes pair up in order of appearance.
- A quote is attributed when a citation follows its closing quote mark with nothing but
  whitespace in between: '"Refunds take 14 days" [doc-2]'. Quotes that are not
  attributed are not checked. Empty quotes (nothing but whitespace) are not checked.

The problems, and what `offset` and `text` hold:

| kind                | when                                       | offset / text            |
| "no-citations"      | the answer contains no citation at all     | 0 / ""                   |
| "lookalike-id"      | a cited id is not a key of `sources`, but  | where the id starts /    |
|                     |   loose(id) == loose(some real id)         |   the id as written      |
| "unknown-source"    | any other cited id that is not a key       | same                     |
| "unsupported-quote" | an attributed quote is not a substring of  | where the opening quote  |
|                     |   any of the cited ids that are real       |   mark is / the text     |
|                     |   sources (after normalising both)         |   between the marks      |

Report each bad id once per place it is cited. An id is only real when it is exactly a
key of `sources`: never "correct" "[doc-03]" to doc-3, not even to check a quote. A
quote whose cited ids are all bad is therefore unsupported too.

`loose(id)` is given, complete, below: the key under which look-alike ids collide. It
applies NFKC, replaces the letters in CONFUSABLES by their Latin look-alikes, casefolds,
keeps only letters and digits, and writes every run of digits without leading zeros:
"doc-03", "DOC_3", "doc3", "ｄｏｃ－３" (fullwidth) and "dос-3" (Cyrillic о and с) all
give "doc3", which is also what "doc-3" gives. "doc-13" gives "doc13": a different id, so
citing it when only doc-3 exists is "unknown-source". Use it only to NAME the problem:
a look-alike id is never the real source.

Normalising quotes and sources before comparing: replace ’ and ‘ by ', then collapse
every run of whitespace (str.split() and " ".join()) into one space and strip. Nothing
else: the comparison is case-sensitive, and an ellipsis or a zero-width space inside a
quote makes it unsupported, because the words are not verbatim any more.

Examples
--------

>>> sources = {"doc-1": "Refunds are issued within 14 days of a return.",
...            "doc-2": "Bereavement fares must be requested before travel."}
>>> verify_citations('Refunds are "issued within 14 days" [doc-1].', sources)
[]
>>> [(p.kind, p.offset, p.text) for p in verify_citations(
...     'Apply "within 90 days after travel" [doc-2], see [doc-02].', sources)]
[('unsupported-quote', 6, 'within 90 days after travel'), ('lookalike-id', 50, 'doc-02')]
>>> [p.kind for p in verify_citations("Refunds take two weeks.", sources)]
['no-citations']

Why it matters
--------------

OWASP LLM09:2025 (Misinformation) recommends grounding answers in retrieved, trusted
documents and validating key outputs automatically. Citations are only useful if
someone checks them: in Mata v. Avianca (S.D.N.Y. 2023) lawyers filed a brief whose
cases, invented by ChatGPT, did not exist, and in Moffatt v. Air Canada (2024) a
tribunal held the airline liable for a refund rule its chatbot had made up. This check cannot
tell whether a paraphrase is faithful, but it catches invented sources and invented
attributed quotations, and it is cheap enough to run on every answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

KINDS = ("no-citations", "unknown-source", "lookalike-id", "unsupported-quote")

# A few Cyrillic and Greek letters and the Latin letters they are confusable with, from
# Unicode's confusables data (UTS #39, confusables.txt).
CONFUSABLES = {
    "а": "a", "с": "c", "ԁ": "d", "е": "e", "һ": "h", "і": "i", "ј": "j",
    "о": "o", "р": "p", "ѕ": "s", "х": "x", "ο": "o", "ν": "v",
}


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


@dataclass(frozen=True)
class Problem:
    """Something in the answer that the sources do not back up."""

    kind: str  # one of KINDS
    offset: int  # where in the answer: the id's first character, or the opening quote mark
    text: str  # the cited id, or the quoted text as written; "" for no-citations
    detail: str  # a sentence for a human


def verify_citations(answer: str, sources: dict[str, str]) -> list[Problem]:
    """Every problem with the citations and quotes in `answer`, in order of offset."""
    # TODO: reject an answer that is not a str.
    # TODO: find the citation groups (a regex with finditer) and the ids in each; report
    #       "no-citations" when there are none, and every id that is not a key of sources
    #       as "lookalike-id" or "unknown-source" (compare with the given loose()).
    # TODO: find the quotes; for each one followed by a citation, check the normalised
    #       quote against the normalised text of the cited ids that are real sources.
    # TODO: sort by offset, then by the position of the kind in KINDS.
    raise NotImplementedError("TODO: implement verify_citations")
