r"""Audit a requirements.txt that an AI assistant wrote, before anyone installs it.

The scenario
------------

You asked a coding assistant for a script, and it also gave you a requirements.txt.
Models invent package names: in the study by Spracklen et al. (USENIX Security 2025),
19.7% of the package references in code written by 16 models named packages that did
not exist. Attackers register such names on PyPI and wait ("slopsquatting"), next to
the older trick of registering misspellings of popular packages ("typosquatting"). So
nothing from the assistant is installed until this auditor has read it against an
offline snapshot of the index.

What to implement
-----------------

    check_requirements(text, index, popular, today) -> list[Finding]

It reads the file `text` and returns a list of Finding(line, kind, subject, detail)
(the dataclass is below):

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

What is given (complete, below the Finding class)
-------------------------------------------------

An auditor must read the file exactly as pip will, or it vouches for a file pip reads
differently. pip's reader has surprises: a comment line never continues onto the next
line even when it ends in a backslash (so "# pinned below \" does NOT hide the line
under it), one option line can hold several options, and "-ihttps://x",
"--index-url=https://x" and "--extra-index" (an abbreviation) are all options. So these
helpers follow pip's own code, and you use them instead of writing a parser:

- `logical_lines(text)` -> [(line number, content)]: lines joined and comments and
  blank lines removed, as pip does it.
- `split_line(content)` -> (requirement, options): the requirement ("" on an option
  line) and the text of the options after it.
- `parse_options(options)` -> [(option, value)]: each option by its main long name
  ("-i URL" gives ("--index-url", URL); a flag gives ""). It raises ValueError for
  anything pip would refuse.
- `normalise(name)`: PEP 503 normalisation (packaging's canonicalize_name).
- `one_edit_apart(a, b)`: one insertion, deletion, substitution or swap of neighbours.
- For requirements, use packaging's parser: `Requirement(text)` raises
  InvalidRequirement, and has .name, .url and .specifier. Parse, don't regex: the
  packaging specification writes the name rule as [A-Z0-9] with re.IGNORECASE, and in
  Python's re that class also matches four non-ASCII letters: 'İ' (U+0130), 'ı'
  (U+0131), 'ſ' (U+017F) and the Kelvin sign 'K' (U+212A).

The rules, for each (line, content) in logical_lines(text)
----------------------------------------------------------

1. If the content contains an environment variable (ENV_VAR matches), report
   "invalid" with the content as subject and nothing else for that line: pip would
   substitute a value that only the person installing knows.
2. requirement, options = split_line(content). If parse_options(options) raises
   ValueError, report "invalid" with the content as subject, and nothing else.
3. If the requirement is not "", the first of these that applies:
   - it holds any non-ASCII character: "invalid" (subject: the requirement);
   - it starts with a URL (URL_START matches): "direct-url" (subject: its first
     whitespace-separated word);
   - Requirement() refuses it: "invalid" (subject: the requirement);
   - it has a .url ("name @ URL"): "direct-url" (subject: the URL);
   - its .name ends with one of ARCHIVE_SUFFIXES, in any case: "direct-url" (subject:
     the name): pip installs "pkg.whl" from a local file, not from the index;
   - otherwise, with subject = normalise(.name), every one that applies:
     "not-found"   the name is not a key of `index` (possibly invented by the model);
     "lookalike"   the name is not a popular project, but is one edit away from one
                   (compare normalised names);
     "too-new"     in the index, and released fewer than MIN_AGE_DAYS days before
                   `today` (or in the future, or with a missing or unreadable date);
     "little-used" in the index, with fewer than MIN_MONTHLY_DOWNLOADS downloads last
                   month (or a missing value, or one that is not an int);
     "unpinned"    no clause of .specifier pins one version: operator "===", or "=="
                   with a version that does not end in '*'.
   Anything that bypasses the index (a URL, a local file) cannot be vouched for by the
   snapshot, so nothing else is checked for it.
4. Then, on every line, for each (option, value) that parse_options returned:
   | option                          | finding, with the value as subject           |
   | --requirement, --constraint     | "include" (that file must be audited too)    |
   | --index-url, --extra-index-url  | "index", unless value.rstrip("/") is exactly |
   |                                 |   PYPI_SIMPLE                                |
   | --find-links, --trusted-host    | "index" (another source, or no TLS checks)   |
   | --editable                      | "direct-url"                                 |
   | any other option                | nothing (--require-hashes, --pre, --hash...) |

Deliberate differences from pip: environment variables are reported, not expanded;
any non-ASCII character in a requirement is "invalid", even in a marker or a URL that
packaging accepts; every name ending in an archive suffix is "direct-url", even with a
version (pip looks "pkg.zip==1.0" up in the index); options on a requirement line are
audited too, although pip ignores all but --hash and --config-settings there;
parse_options accepts the options of pip 23 to 26, some of which your pip may refuse;
and a requirement that packaging refuses is "invalid" even where an older pip would
accept it.

Examples
--------

>>> from datetime import date
>>> index = {"requests": {"first_release": "2011-02-14", "downloads_last_month": 10**8}}
>>> check_requirements("requests==2.32.3  # HTTP\n", index, {"requests"}, date(2025, 6, 1))
[]
>>> [(f.line, f.kind, f.subject) for f in check_requirements(
...     "# pinned below \\\nreqeusts>=2.0\n", index, {"requests"}, date(2025, 6, 1))]
[(2, 'not-found', 'reqeusts'), (2, 'lookalike', 'reqeusts'), (2, 'unpinned', 'reqeusts')]
>>> [(f.kind, f.subject) for f in check_requirements(
...     "r\u0435quests==2.32.3\n--pre --extra-index https://pypi.example.net/simple\n",
...     index, {"requests"}, date(2025, 6, 1))]
[('invalid', 'rеquests==2.32.3'), ('index', 'https://pypi.example.net/simple')]

(The first line has a Cyrillic 'е', U+0435. pip would refuse it, but a reviewer
reading the file would not notice.)

Going further (no check requires these)
---------------------------------------

- Audit the files that "include" findings name, recursively, and stop on a cycle.
- With --require-hashes, check that every requirement carries a --hash.
- Catch look-alikes two edits away, or made of confusable letters (Unicode's
  confusables.txt), without drowning the reviewer in false alarms.

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

import optparse
import re
import shlex
from dataclasses import dataclass
from datetime import date
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement  # noqa: F401
from packaging.utils import canonicalize_name

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

# pip installs a requirement whose name ends like this from a local file, not from the index.
ARCHIVE_SUFFIXES = (
    ".whl", ".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tbz",
    ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma",
)
# pip replaces ${NAME} (uppercase letters, digits, '_') with that environment variable.
ENV_VAR = re.compile(r"\$\{[A-Z0-9_]+\}")
# A URL at the start of a requirement: https://, git+https://, file://, ...
URL_START = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer must look at before anyone runs `pip install -r`."""

    line: int  # 1-based number of the (first) physical line
    kind: str  # one of KINDS
    subject: str  # what the finding is about (see the docstring)
    detail: str  # a sentence for the reviewer


# ---------------------------------------------------------------------------------------
# Given, complete: helpers that read the file the way pip does. Use them as they are.
# ---------------------------------------------------------------------------------------


def normalise(name: str) -> str:
    """PEP 503: lowercase, and every run of '-', '_' and '.' becomes one '-'."""
    return canonicalize_name(name)


def one_edit_apart(a: str, b: str) -> bool:
    """True when one insertion, deletion, substitution or swap of two neighbours turns a into b.

    False when a == b. Runs in time linear in the length, so a very long name costs nothing.
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0  # skip the common prefix; whatever is left must be explained by one edit
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return (
            a[i + 1 :] == b[i + 1 :]  # substitution
            or (a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :])  # swap
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return shorter[i:] == longer[i + 1 :]  # one character inserted in the longer one


# pip's comment rule: '#' at the start of a line or after whitespace. A '#' inside a word
# ("...repo.git#egg=name") is not a comment. pip writes it as r"(^|\s+)#.*$", which takes
# quadratic time on a long run of spaces; cutting at the first such '#' and stripping gives
# the same line in linear time.
_COMMENT_START = re.compile(r"(?:^|(?<=\s))#")


def _strip_comment(line: str) -> str:
    found = _COMMENT_START.search(line)
    return (line[: found.start()] if found else line).strip()


def logical_lines(text: str) -> list[tuple[int, str]]:
    """The lines pip reads from `text`: (number of the first physical line, content).

    What pip's reader does (pip/_internal/req/req_file.py: join_lines, ignore_comments):
    - split with str.splitlines() (so CRLF, CR and a few Unicode separators end lines);
    - a line ending in a backslash is joined to the next one, with the backslashes at both
      of its ends removed, EXCEPT a comment line (first non-space character '#'): a comment
      is never continued, so "# note \\" does not hide the requirement below it;
    - then comments are removed, whitespace is stripped and empty lines are dropped.
    Unlike pip, ${VARIABLES} are not expanded: the auditor cannot know their values.
    """
    joined: list[tuple[int, str]] = []
    pending: list[str] = []
    first = 0
    for number, line in enumerate(text.splitlines(), start=1):
        is_comment = line.lstrip().startswith("#")
        if is_comment or not line.endswith("\\"):
            if is_comment:
                line = " " + line  # so that the '#' follows whitespace once joined
            if pending:
                joined.append((first, "".join([*pending, line])))
                pending = []
            else:
                joined.append((number, line))
        else:
            if not pending:
                first = number
            pending.append(line.strip("\\"))
    if pending:  # the file ended on a backslash
        joined.append((first, "".join(pending)))
    return [(number, kept) for number, line in joined if (kept := _strip_comment(line))]


def split_line(line: str) -> tuple[str, str]:
    """(requirement, options), split like pip's break_args_options.

    The line is cut at single spaces (not tabs); the requirement is every word before the
    first one that starts with '-', the options are the rest. A line that starts with '-'
    has no requirement (""): it is an option line.
    """
    words = line.split(" ")
    for position, word in enumerate(words):
        if word.startswith("-"):
            return " ".join(words[:position]).rstrip(), " ".join(words[position:])
    return line, ""


# The options pip accepts in a requirements file, from pip 23 to pip 26, and whether each
# takes a value. optparse, like pip, accepts "-iURL", "--index-url=URL" and unambiguous
# abbreviations ("--extra-index" for "--extra-index-url"). The table holds every option of
# every one of those versions and none of its names is the start of another's, so an
# abbreviation means the same here as in pip, or pip refuses it.
_PIP_OPTIONS: tuple[tuple[tuple[str, ...], bool], ...] = (
    (("-i", "--index-url", "--pypi-url"), True),
    (("--extra-index-url",), True),
    (("--no-index",), False),
    (("-c", "--constraint"), True),
    (("-r", "--requirement"), True),
    (("-e", "--editable"), True),
    (("-f", "--find-links"), True),
    (("--no-binary",), True),
    (("--only-binary",), True),
    (("--prefer-binary",), False),
    (("--require-hashes",), False),
    (("--no-require-hashes",), False),
    (("--pre",), False),
    (("--all-releases",), True),
    (("--only-final",), True),
    (("--trusted-host",), True),
    (("--use-feature",), True),
    (("--global-option",), True),
    (("--install-option",), True),
    (("--hash",), True),
    (("-C", "--config-settings"), True),
)


class _OptionParser(optparse.OptionParser):
    def error(self, msg: str) -> None:  # type: ignore[override]
        raise ValueError(msg)  # optparse would print and exit


def parse_options(options: str) -> list[tuple[str, str]]:
    """Every (option, value) in `options`, in order, named by the option's main long name.

    "-i https://x/simple --pre" gives [("--index-url", "https://x/simple"), ("--pre", "")].
    Raises ValueError for anything pip would refuse: an unknown or ambiguous option, a
    missing value, an unclosed quote.
    """
    found: list[tuple[str, str]] = []
    if not options.strip():
        return found

    def record(option: optparse.Option, _flag: str, value: Any, _parser: Any) -> None:
        found.append((option.get_opt_string(), "" if value is None else value))

    parser = _OptionParser(add_help_option=False)
    for names, takes_value in _PIP_OPTIONS:
        extra = {"type": "string"} if takes_value else {}
        parser.add_option(*names, action="callback", callback=record, **extra)
    parser.parse_args(shlex.split(options))  # shlex.split raises ValueError too
    return found


# ---------------------------------------------------------------------------------------
# Your part.
# ---------------------------------------------------------------------------------------


def check_requirements(
    text: str,
    index: dict[str, dict[str, Any]],
    popular: set[str],
    today: date,
) -> list[Finding]:
    """Every finding in the requirements file `text`, by line, then in the order of KINDS."""
    # TODO: reject text that is not a str.
    # TODO: for line, content in logical_lines(text): environment variables, then
    #       split_line() and parse_options() (ValueError means "invalid").
    # TODO: requirement rules: non-ASCII, URL_START, Requirement(), .url, archive suffix,
    #       then not-found, lookalike, too-new, little-used, unpinned.
    # TODO: option rules: include, index, direct-url, or nothing.
    # TODO: sort by line, then by KINDS.index(kind).
    raise NotImplementedError("TODO: implement check_requirements")
