r"""Audit a requirements.txt that an AI assistant wrote, before anyone installs it.

The scenario
------------

You asked a coding assistant for a script, and it also gave you a requirements.txt.
Models invent package names: in the study by Spracklen et al. (USENIX Security 2025),
19.7% of the packages that 16 code models recommended did not exist. Attackers register
such names on PyPI and wait ("slopsquatting"), next to the older trick of registering
misspellings of popular packages ("typosquatting"). So nothing from the assistant is
installed until this auditor has read it against an offline snapshot of the index.

What to implement
-----------------

    normalise(name: str) -> str
    check_requirements(text, index, popular, today) -> list[Finding]

`normalise(name)` is the name normalisation of PEP 503: lowercase, and every run of
'-', '_' and '.' becomes a single '-'. "Scikit_Learn", "scikit.learn" and "SCIKIT--learn"
all become "scikit-learn": pip treats them as the same project.

`check_requirements(text, index, popular, today)` reads the file `text` and returns a
list of Finding(line, kind, subject, detail) (the dataclass is below):

- `index` is the snapshot: normalised project name -> metadata, for example
  {"requests": {"first_release": "2011-02-14", "downloads_last_month": 250_000_000}}.
  "first_release" is an ISO date string, "downloads_last_month" an int.
- `popular` is a set of names of popular projects (any spelling: normalise them).
- `today` is a datetime.date. Never read the real clock: an audit must give the same
  answer tomorrow, and the checks use a fixed date.
- `line` is the 1-based number of the physical line (for a continued line, its first).
- `detail` is a sentence for a human reviewer; the checks do not compare it.
- Sort the findings by line, then by the position of their kind in KINDS.
- Raise TypeError if `text` is not a str.

How to read the file (a subset of pip's requirements-file format):

1. Split the text into lines (str.splitlines()). A line that ends with a backslash is
   joined to the next line, without the backslash.
2. A '#' at the start of a line or after whitespace starts a comment, up to the end of
   the line. A '#' inside a word is not a comment: "git+https://host/repo.git#egg=x"
   keeps its "#egg=x". Strip whitespace; skip lines that are then empty.
3. A line that starts with '-' is an option: the option is the first word, and its value
   follows after whitespace or '=' ("--index-url URL", "--index-url=URL", "-r dev.txt").
   | option                                   | finding, with the value as subject      |
   | -r, --requirement, -c, --constraint      | "include" (that file must be audited)   |
   | -i, --index-url, --extra-index-url       | "index", unless the value, without a    |
   |                                          |   trailing '/', is exactly PYPI_SIMPLE  |
   | -f, --find-links, --trusted-host         | "index" (another source, or no TLS)     |
   | -e, --editable                           | "direct-url"                            |
   | any other option (--require-hashes ...)  | nothing                                 |
4. Any other line is a requirement. First drop everything from the first whitespace
   that is followed by "--" (per-requirement options such as --hash=sha256:...).
   - If it starts with a URL scheme ("https://", "git+https://", ...), report
     "direct-url" with its first whitespace-separated word as subject.
   - If it has the form NAME [EXTRAS] @ URL, report "direct-url" with the URL (up to
     the next whitespace) as subject.
   Nothing else is checked for these: they bypass the index, so the snapshot cannot
   vouch for them.
5. Otherwise drop the environment marker (everything from the first ';'). What is left
   must be, with whitespace allowed between the parts:
       NAME  optional [extras]  optional clauses separated by ','
   where a clause is an operator (===, ==, !=, <=, >=, ~=, <, >) followed by a version
   made of ASCII letters, digits and . * + ! _ -. NAME must be a valid project name:
   ASCII letters and digits, '.', '_' or '-' inside, starting and ending with a letter
   or digit. If the line does not fit, report "invalid" with the whole requirement
   (after steps 2 and 4) as subject. Careful: the packaging specification writes the
   name rule as [A-Z0-9] with re.IGNORECASE, and in Python that also accepts 'ſ' and
   the Kelvin sign 'K', which case-fold to ASCII. Write [A-Za-z0-9] instead.
6. For a valid requirement, with subject = normalise(NAME), report every one that
   applies:
   - "not-found"   the name is not a key of `index` (possibly invented by the model);
   - "lookalike"   the name is not a popular project, but is one edit away from one:
                   one character inserted, deleted or replaced, or two neighbouring
                   characters swapped (compare normalised names);
   - "too-new"     in the index, and released fewer than MIN_AGE_DAYS days before
                   `today` (or in the future, or with a missing or unreadable date);
   - "little-used" in the index, with fewer than MIN_MONTHLY_DOWNLOADS downloads last
                   month (or a missing value, or one that is not an int);
   - "unpinned"    no clause pins an exact version: "===V", or "==V" without a '*'.

Examples
--------

>>> from datetime import date
>>> index = {"requests": {"first_release": "2011-02-14", "downloads_last_month": 10**8}}
>>> check_requirements("requests==2.32.3  # HTTP\n", index, {"requests"}, date(2025, 6, 1))
[]
>>> [(f.line, f.kind, f.subject) for f in check_requirements(
...     "\nreqeusts>=2.0\n", index, {"requests"}, date(2025, 6, 1))]
[(2, 'not-found', 'reqeusts'), (2, 'lookalike', 'reqeusts'), (2, 'unpinned', 'reqeusts')]
>>> [(f.kind, f.subject) for f in check_requirements(
...     "r\u0435quests==2.32.3\n", index, {"requests"}, date(2025, 6, 1))]
[('invalid', 'rеquests==2.32.3')]

(The last one has a Cyrillic 'е', U+0435. pip would refuse it, but a reviewer
reading the file would not notice.)

Why it matters
--------------

OWASP LLM09:2025 (Misinformation) lists unsafe code generation, including libraries
that do not exist, and its first attack scenario is exactly this: attackers publish
packages under names that coding assistants hallucinate. MITRE ATLAS calls it
AML.T0060, Publish Hallucinated Entities. A name that is missing from the index, one
edit away from a famous one, or a few weeks old with a dozen downloads is not proof of
an attack, but each one is a line that a human must look at before `pip install -r`.
"""

from __future__ import annotations

import re  # noqa: F401  (useful for normalise and for parsing lines)
from dataclasses import dataclass
from datetime import date
from typing import Any

# The order in which findings for one line are reported.
KINDS = (
    "invalid",
    "direct-url",
    "include",
    "index",
    "not-found",
    "lookalike",
    "too-new",
    "little-used",
    "unpinned",
)

MIN_AGE_DAYS = 90  # younger than this: flag as "too-new"
MIN_MONTHLY_DOWNLOADS = 1_000  # fewer than this: flag as "little-used"
PYPI_SIMPLE = "https://pypi.org/simple"  # pip's default index


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer must look at before anyone runs `pip install -r`."""

    line: int  # 1-based number of the (first) physical line
    kind: str  # one of KINDS
    subject: str  # what the finding is about (see the docstring)
    detail: str  # a sentence for the reviewer


def normalise(name: str) -> str:
    """PEP 503: lowercase, and every run of '-', '_' and '.' becomes one '-'."""
    # TODO: one re.sub() and one .lower().
    raise NotImplementedError("TODO: implement normalise")


def one_edit_apart(a: str, b: str) -> bool:
    """True when one insertion, deletion, substitution or swap of two neighbours turns a into b.

    A helper for the "lookalike" rule; False when a == b.
    """
    # TODO: lengths differing by more than one can never be one edit apart. Otherwise skip
    #       the common prefix and look at what is left of each string.
    raise NotImplementedError("TODO: implement one_edit_apart")


def check_requirements(
    text: str,
    index: dict[str, dict[str, Any]],
    popular: set[str],
    today: date,
) -> list[Finding]:
    """Every finding in the requirements file `text`, by line, then in the order of KINDS."""
    # TODO: reject text that is not a str.
    # TODO: build logical lines (join backslash continuations), strip comments and blanks.
    # TODO: option lines: include, index, direct-url, or nothing.
    # TODO: requirement lines: per-requirement options, direct URLs, then the grammar and
    #       the ASCII name rule, then not-found, lookalike, too-new, little-used, unpinned.
    raise NotImplementedError("TODO: implement check_requirements")
