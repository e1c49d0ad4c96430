"""Reference solution for `lint_security_policy`: lint a SECURITY.md as a reporter reads it.

Two views of the same file. The *visible text* (HTML comments and fenced code blocks
removed) is what a reporter sees on the rendered page, so the channel, the supported
versions and the response time must be there. The *raw text* is what anyone who clones
the repository can read, so secrets are searched for there, comments and code included.
"""

from __future__ import annotations

import re

CODES = (
    "empty",
    "no-private-channel",
    "public-issues-only",
    "no-supported-versions",
    "no-response-time",
    "secret-in-policy",
)

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_AT = r"(?:\s+at\s+|\s*\[at\]\s*|\s*\(at\)\s*|\s*\{at\}\s*)"
_DOT = r"(?:\s+dot\s+|\s*\[dot\]\s*|\s*\(dot\)\s*|\s*\{dot\}\s*)"
SPELLED_EMAIL_RE = re.compile(
    rf"\b[a-z0-9._%+-]+{_AT}[a-z0-9-]+(?:{_DOT}[a-z0-9-]+)*{_DOT}[a-z]{{2,}}\b", re.IGNORECASE
)
ADVISORY_URL_RE = re.compile(
    r"https?://(?:www\.)?github\.com/[\w.-]+/[\w.-]+/security/advisories(?:/new)?(?![\w/-])",
    re.IGNORECASE,
)
ISSUE_INVITE_RE = re.compile(
    r"\b(?:open|file|create|submit|raise)\s+(?:a|an)\s+(?:new\s+|public\s+|github\s+)*issue\b"
    r"|https?://\S+/issues\b",
    re.IGNORECASE,
)
NEGATION_RE = re.compile(r"\b(?:not|never|cannot|avoid)\b|n['’]t\b", re.IGNORECASE)
_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
RESPONSE_TIME_RE = re.compile(
    rf"\b{_NUMBER}(?:\s*(?:-|–|to)\s*{_NUMBER})?[\s-]*(?:business[\s-]+|working[\s-]+)?"
    r"(?:hour|day|week|month)s?\b",
    re.IGNORECASE,
)
SECRET_PATTERNS = (
    re.compile(r"AKIA[0-9A-Z]{16}"),  # AWS access key ID
    re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY"),  # PEM, OpenSSH and PGP private keys
    re.compile(r"gh[pousr]_[A-Za-z0-9]{36}"),  # GitHub tokens
    re.compile(r"xox[abprs]-[A-Za-z0-9-]{10,}"),  # Slack tokens
)
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ATX_HEADING_RE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?[ \t]*$")
SETEXT_UNDERLINE_RE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")


def _without_fences(lines: list[str]) -> list[str]:
    """The lines outside fenced code blocks; an unclosed fence runs to the end."""
    kept: list[str] = []
    fence: str | None = None  # the opening fence, e.g. "```" or "~~~~"
    for line in lines:
        if fence is None:
            opening = FENCE_RE.match(line)
            if opening:
                fence = opening.group(1)
            else:
                kept.append(line)
        elif re.fullmatch(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*", line):
            fence = None  # same character, at least as long, nothing else on the line
    return kept


def visible_text(markdown: str) -> str:
    """What a reader of the rendered page sees: no fenced code blocks, no HTML comments."""
    text = "\n".join(_without_fences(markdown.splitlines()))
    # An HTML comment hides everything up to "-->", or to the end if it is never closed.
    return re.sub(r"<!--.*?(?:-->|\Z)", "", text, flags=re.DOTALL)


def headings(text: str) -> list[str]:
    """The text of every ATX (`## Title`) and setext (`Title` over `====`) heading."""
    lines = text.splitlines()
    found: list[str] = []
    for index, line in enumerate(lines):
        atx = ATX_HEADING_RE.match(line)
        if atx:
            found.append((atx.group(1) or "").rstrip("#").strip())
        elif (
            line.strip()
            and index + 1 < len(lines)
            and SETEXT_UNDERLINE_RE.match(lines[index + 1])
            and not SETEXT_UNDERLINE_RE.match(line)  # a rule over a rule is no heading
        ):
            found.append(line.strip())
    return found


def _has_private_channel(text: str) -> bool:
    return bool(
        EMAIL_RE.search(text) or SPELLED_EMAIL_RE.search(text) or ADVISORY_URL_RE.search(text)
    )


def _invites_public_issues(text: str) -> bool:
    # Judged line by line: "Please do not open a public issue" is a warning, not an invitation.
    return any(
        ISSUE_INVITE_RE.search(line) and not NEGATION_RE.search(line)
        for line in text.splitlines()
    )


def lint_security_policy(markdown: str) -> list[str]:
    """Problem codes for a SECURITY.md text, in the order of CODES, each at most once."""
    if not isinstance(markdown, str):
        raise TypeError(f"lint_security_policy expects str, got {type(markdown).__name__}")
    problems: set[str] = set()
    visible = visible_text(markdown)
    if not visible.strip():
        problems.add("empty")  # nothing to read: the other visible-text checks say nothing new
    else:
        has_channel = _has_private_channel(visible)
        if not has_channel:
            problems.add("no-private-channel")
            if _invites_public_issues(visible):
                problems.add("public-issues-only")
        if not any("version" in title.lower() for title in headings(visible)):
            problems.add("no-supported-versions")
        if not RESPONSE_TIME_RE.search(visible):
            problems.add("no-response-time")
    # Secrets: the RAW text. A comment hides a key from the reader, not from a clone.
    if any(pattern.search(markdown) for pattern in SECRET_PATTERNS):
        problems.add("secret-in-policy")
    return [code for code in CODES if code in problems]
