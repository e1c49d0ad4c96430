"""Reference solution for `check_requirements`: audit an AI-written requirements.txt."""

from __future__ import annotations

import optparse
import re
import shlex
from dataclasses import dataclass
from datetime import date
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
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
    subject: str  # what the finding is about (see the starter's docstring)
    detail: str  # a sentence for the reviewer


# ---------------------------------------------------------------------------------------
# Helpers that read the file the way pip does (given complete in the starter).
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
# The audit (what the learner writes).
# ---------------------------------------------------------------------------------------

_INCLUDE_OPTIONS = {"--requirement", "--constraint"}
_INDEX_OPTIONS = {"--index-url", "--extra-index-url"}
_ALWAYS_SOURCE_OPTIONS = {"--find-links", "--trusted-host"}


def _option_findings(line: int, options: list[tuple[str, str]]) -> list[Finding]:
    found = []
    for option, value in options:
        if option in _INCLUDE_OPTIONS:
            found.append(Finding(line, "include", value, "another file: audit it too"))
        elif option == "--editable":
            found.append(Finding(line, "direct-url", value, "editable install, not from the index"))
        elif option in _ALWAYS_SOURCE_OPTIONS or (
            option in _INDEX_OPTIONS and value.rstrip("/") != PYPI_SIMPLE
        ):
            found.append(Finding(line, "index", value, f"{option} adds a source or drops TLS"))
        # --require-hashes, --pre, --only-binary, --hash ... change no package source.
    return found


def _metadata_findings(
    line: int, name: str, meta: dict[str, Any], today: date
) -> list[Finding]:
    found = []
    # Fail closed: metadata we cannot read counts as "too new" / "too little used".
    try:
        age = (today - date.fromisoformat(meta["first_release"])).days
    except (KeyError, TypeError, ValueError):
        age = None
    if age is None or age < MIN_AGE_DAYS:
        detail = "first release unknown" if age is None else f"first released {age} days ago"
        found.append(Finding(line, "too-new", name, detail))
    downloads = meta.get("downloads_last_month")
    if not isinstance(downloads, int) or downloads < MIN_MONTHLY_DOWNLOADS:
        found.append(Finding(line, "little-used", name, f"downloads last month: {downloads!r}"))
    return found


def _requirement_findings(
    line: int,
    text: str,
    index: dict[str, dict[str, Any]],
    popular: set[str],
    today: date,
) -> list[Finding]:
    odd = next((ch for ch in text if not ch.isascii()), None)
    if odd is not None:
        # No project name, extra, version or marker of a requirement we vouch for needs a
        # non-ASCII character, and a look-alike letter is exactly what fools a reviewer.
        detail = f"contains the non-ASCII character U+{ord(odd):04X}"
        return [Finding(line, "invalid", text, detail)]
    if URL_START.match(text):
        return [Finding(line, "direct-url", text.split()[0], "installed from a URL")]
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return [Finding(line, "invalid", text, "not a requirement pip would install")]
    if requirement.url:
        return [Finding(line, "direct-url", requirement.url, "installed from a URL")]
    if requirement.name.lower().endswith(ARCHIVE_SUFFIXES):
        return [Finding(line, "direct-url", requirement.name, "pip reads it as a local file")]

    name = normalise(requirement.name)
    found = []
    meta = index.get(name)
    if meta is None:
        found.append(Finding(line, "not-found", name, "not in the package index snapshot"))
    popular_names = {normalise(p) for p in popular}
    if name not in popular_names:
        near = sorted(p for p in popular_names if one_edit_apart(name, p))
        if near:
            found.append(Finding(line, "lookalike", name, f"one edit away from {near[0]!r}"))
    if meta is not None:
        found.extend(_metadata_findings(line, name, meta, today))
    pinned = any(
        spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith("*"))
        for spec in requirement.specifier
    )
    if not pinned:
        found.append(Finding(line, "unpinned", name, "no exact == version"))
    return found


def check_requirements(
    text: str,
    index: dict[str, dict[str, Any]],
    popular: set[str],
    today: date,
) -> list[Finding]:
    """Every finding in the requirements file `text`, by line, then in the order of KINDS."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    findings: list[Finding] = []
    for line, content in logical_lines(text):
        if ENV_VAR.search(content):
            # pip would read something else, chosen by whoever runs it: nothing to vouch for.
            findings.append(Finding(line, "invalid", content, "uses an environment variable"))
            continue
        requirement, option_text = split_line(content)
        try:
            options = parse_options(option_text)
        except ValueError as exc:
            findings.append(Finding(line, "invalid", content, f"pip would refuse it: {exc}"))
            continue
        if requirement:
            findings.extend(_requirement_findings(line, requirement, index, popular, today))
        # Options count wherever they stand. (On a requirement line pip 23-26 ignore all
        # but --hash and --config-settings, but a source written there deserves a look.)
        findings.extend(_option_findings(line, options))
    return sorted(findings, key=lambda f: (f.line, KINDS.index(f.kind)))
