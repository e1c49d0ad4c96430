"""Reference solution for `check_requirements`: audit an AI-written requirements.txt."""

from __future__ import annotations

import re
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

MIN_AGE_DAYS = 90
MIN_MONTHLY_DOWNLOADS = 1_000
PYPI_SIMPLE = "https://pypi.org/simple"


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer must look at before anyone runs `pip install -r`."""

    line: int  # 1-based number of the (first) physical line
    kind: str  # one of KINDS
    subject: str  # what the finding is about (see the starter's docstring)
    detail: str  # a sentence for the reviewer


# pip's comment rule: '#' at the start of a line or after whitespace. A '#' inside a URL
# ("...repo.git#egg=name") is part of the URL, not a comment.
_COMMENT = re.compile(r"(?:^|\s)#.*$")
# A URL scheme at the start: https://, git+https://, file://, ...
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# Per-requirement options such as --hash=sha256:... start at whitespace followed by "--".
_PER_REQ_OPTIONS = re.compile(r"\s--")
# What may stand where a name stands: everything up to whitespace or a delimiter. The name
# is validated separately, so that a Cyrillic letter is reported as such.
_NAME_TOKEN = r"[^\s\[\]();,<>=!~@]+"
_NAME_AT_URL = re.compile(rf"(?P<name>{_NAME_TOKEN})\s*(?:\[[^\]]*\])?\s*@\s*(?P<url>\S+)")
_CLAUSE = r"(?:===|==|!=|<=|>=|~=|<|>)\s*[A-Za-z0-9.*+!_-]+"
_REQUIREMENT = re.compile(
    rf"(?P<name>{_NAME_TOKEN})\s*"
    r"(?:\[[^\]]*\]\s*)?"  # extras: requests[security,socks]
    rf"(?P<spec>{_CLAUSE}(?:\s*,\s*{_CLAUSE})*)?\s*"
)
# The name format of the packaging specification (PEP 508), written with explicit ASCII
# classes. Do NOT use [A-Z] with re.IGNORECASE instead: in Python that also matches 'ſ'
# (U+017F) and the Kelvin sign 'K' (U+212A), because they case-fold to 's' and 'k'.
_VALID_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")

_INCLUDE_OPTIONS = {"-r", "--requirement", "-c", "--constraint"}
_INDEX_OPTIONS = {"-i", "--index-url", "--extra-index-url"}
_ALWAYS_SOURCE_OPTIONS = {"-f", "--find-links", "--trusted-host"}
_EDITABLE_OPTIONS = {"-e", "--editable"}


def normalise(name: str) -> str:
    """PEP 503: lowercase, and every run of '-', '_' and '.' becomes one '-'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def one_edit_apart(a: str, b: str) -> bool:
    """True when one insertion, deletion, substitution or swap of two neighbours turns a into b.

    Runs in time linear in the length, so a very long name costs nothing.
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    # Skip the common prefix; whatever is left must be explained by one edit.
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return (
            a[i + 1 :] == b[i + 1 :]  # substitution
            or (a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :])  # swap
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return shorter[i:] == longer[i + 1 :]  # one character inserted in the longer one


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) pairs, with backslash continuations joined."""
    lines: list[tuple[int, str]] = []
    pending: list[str] = []
    first = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            first = number
        if raw.endswith("\\"):
            pending.append(raw[:-1])
            continue
        pending.append(raw)
        lines.append((first, "".join(pending)))
        pending = []
    if pending:  # the file ended on a backslash
        lines.append((first, "".join(pending)))
    return lines


def _option_findings(line: int, content: str) -> list[Finding]:
    parts = re.split(r"\s+|=", content, maxsplit=1)
    option, value = parts[0], (parts[1].strip() if len(parts) > 1 else "")
    if option in _INCLUDE_OPTIONS:
        return [Finding(line, "include", value, "another requirements file: audit it too")]
    if option in _EDITABLE_OPTIONS:
        return [Finding(line, "direct-url", value, "editable install from outside the index")]
    if option in _ALWAYS_SOURCE_OPTIONS or (
        option in _INDEX_OPTIONS and value.rstrip("/") != PYPI_SIMPLE
    ):
        return [Finding(line, "index", value, f"{option} adds or changes a package source")]
    return []  # --require-hashes, --pre, --only-binary ... change no source


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
    content: str,
    index: dict[str, dict[str, Any]],
    popular: set[str],
    today: date,
) -> list[Finding]:
    content = _PER_REQ_OPTIONS.split(content, maxsplit=1)[0].strip()
    # Direct references bypass the index, so the snapshot cannot vouch for them.
    if _SCHEME.match(content):
        return [Finding(line, "direct-url", content.split()[0], "installed from a URL")]
    at_url = _NAME_AT_URL.match(content)
    if at_url:
        return [Finding(line, "direct-url", at_url["url"], "installed from a URL")]

    requirement = content.split(";", 1)[0].strip()  # the environment marker is irrelevant
    parsed = _REQUIREMENT.fullmatch(requirement)
    if parsed is None or not _VALID_NAME.fullmatch(parsed["name"]):
        odd = next((ch for ch in content if not ch.isascii()), None)
        detail = (
            f"contains the non-ASCII character U+{ord(odd):04X}, which no package name has"
            if odd
            else "not a requirement pip would read as written"
        )
        return [Finding(line, "invalid", content, detail)]

    name = normalise(parsed["name"])
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
    clauses = re.split(r"\s*,\s*", parsed["spec"] or "")
    pinned = any(
        c.startswith("===") or (c.startswith("==") and "*" not in c) for c in clauses
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
    for line, raw in _logical_lines(text):
        content = _COMMENT.sub("", raw).strip()
        if not content:
            continue
        if content.startswith("-"):
            findings.extend(_option_findings(line, content))
        else:
            findings.extend(_requirement_findings(line, content, index, popular, today))
    return sorted(findings, key=lambda f: (f.line, KINDS.index(f.kind)))
