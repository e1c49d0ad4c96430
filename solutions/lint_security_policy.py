"""Reference solution for `lint_security_policy`: lint a SECURITY.md as a reporter reads it.

Two views of the same file. The *visible text* is what a reporter sees on the rendered
page, so the channel, the supported versions and the response time must be there. The
*raw text* is what anyone who clones the repository can read, so secrets are searched
for there, comments and code included.

The visible text comes from a CommonMark parser (markdown-it-py), not from regular
expressions over lines: the parser reads the document once, in order, so a fence inside
an HTML comment is part of the comment and a "<!--" inside a code block is code, exactly
as on the rendered page.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

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

# CommonMark, the spec GitHub's Markdown (GFM) extends. One parser for the whole course.
MARKDOWN = MarkdownIt("commonmark")


def parse(markdown: str) -> list[Token]:
    """The block tokens of `markdown`, in document order."""
    return MARKDOWN.parse(markdown)


def html_text(html: str) -> tuple[str, bool]:
    """What a browser shows of raw HTML: the text without its comments.

    The flag is True when a comment is never closed: a browser then hides everything
    after "<!--", to the end of the page. One pass with str.find keeps this linear
    even for thousands of unclosed openers.
    """
    parts: list[str] = []
    position = 0
    while (start := html.find("<!--", position)) != -1:
        parts.append(html[position:start])
        body = start + 4
        if html.startswith(">", body) or html.startswith("->", body):
            position = html.index(">", body) + 1  # "<!-->" and "<!--->" are whole comments
            continue
        end = html.find("-->", body)
        if end == -1:
            return "".join(parts), True
        position = end + 3
    parts.append(html[position:])
    return "".join(parts), False


def _inline_text(token: Token) -> str:
    """The visible text of one `inline` token: what its children show on the page."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)  # inline code is shown, so it counts
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "link_open":
            # A reader can click a link, so its target is a usable channel.
            parts.append(f" {child.attrs.get('href', '')} ")
        elif child.type == "html_inline" and not child.content.startswith("<!--"):
            parts.append(child.content)  # other raw HTML: a browser shows its text
        # Comments, images, emphasis markers: nothing a reader can read or use.
    return "".join(parts)


def visible_text(tokens: list[Token]) -> str:
    """What a reader of the rendered page sees: no code blocks, no HTML comments."""
    lines: list[str] = []
    for token in tokens:
        if token.type == "inline":
            lines.append(_inline_text(token))
        elif token.type == "html_block":
            text, unclosed = html_text(token.content)
            lines.append(text)
            if unclosed:
                break  # an open comment hides the rest of the page
        # fence and code_block hold templates and examples, not the project's address.
    return "\n".join(lines)


def headings(tokens: list[Token]) -> list[str]:
    """The visible text of every heading (ATX `## Title` or setext `Title` over `===`)."""
    titles: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "html_block" and html_text(token.content)[1]:
            break  # the same rule as visible_text: nothing after an open comment shows
        if token.type == "heading_open":
            titles.append(visible_text([tokens[index + 1]]).strip())  # its inline token
    return titles


def has_private_channel(text: str) -> bool:
    """An email address, a spelled-out one, or a link to the security advisories."""
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
    tokens = parse(markdown)
    visible = visible_text(tokens)
    if not visible.strip():
        problems.add("empty")  # nothing to read: the other visible-text checks say nothing new
    else:
        if not has_private_channel(visible):
            problems.add("no-private-channel")
            if _invites_public_issues(visible):
                problems.add("public-issues-only")
        if not any("version" in title.lower() for title in headings(tokens)):
            problems.add("no-supported-versions")
        if not RESPONSE_TIME_RE.search(visible):
            problems.add("no-response-time")
    # Secrets: the RAW text. A comment hides a key from the reader, not from a clone.
    if any(pattern.search(markdown) for pattern in SECRET_PATTERNS):
        problems.add("secret-in-policy")
    return [code for code in CODES if code in problems]
