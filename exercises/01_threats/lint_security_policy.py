"""Lint a SECURITY.md: can a reporter tell you about a vulnerability in private?

The scenario
------------

Your project just shipped an AI feature, and with it a new attack surface. Sooner or
later someone will find a prompt injection, a leaking log or a tool the model should
never have been able to call. Whether they tell you first, in private, or tell the
world in a public issue depends on one file: SECURITY.md. GitHub links it from the
"New issue" page, and OpenSSF Scorecard's Security-Policy check looks for it.

You will write a linter that a project could run in CI over its SECURITY.md.

What to implement
-----------------

    lint_security_policy(markdown: str) -> list[str]

returns the problems it finds, as codes from CODES, in the order of CODES, each at
most once. [] means no problems. A value that is not a str raises TypeError.

Read the policy the way a reporter sees it. The *visible text* is the Markdown with
two things removed, because neither shows on the rendered page:

- fenced code blocks: a line that starts (after up to 3 spaces) with three or more
  backticks or tildes opens a block (FENCE_RE); it ends at the next line made only of
  the same character, at least as many of them, with up to 3 spaces before and any
  spaces after. An unclosed block runs to the end of the text. (Code blocks in a
  policy hold templates and examples, not the project's address.)
- HTML comments: from "<!--" to the next "-->", or to the end if it is never closed.

The codes:

"empty"
    The visible text is empty or only whitespace. Then skip the three visible-text
    checks below (they would only repeat that nothing is there); the secret check
    still runs.
"no-private-channel"
    The visible text names no private channel. A channel is any of:
    - an email address (EMAIL_RE);
    - an address spelled out against spam, with the words "at" and "dot" (any case)
      either between spaces or in brackets, and EVERY dot of the domain spelled out:
      "security at example dot org", "security [at] example [dot] org",
      "security(at)example(dot)org" (SPELLED_EMAIL_RE). "security at example.org"
      does not count: prose such as "our releases at pypi.org" looks just like it;
    - a link to the repository's GitHub security advisories, where private
      vulnerability reporting lives: https://github.com/OWNER/REPO/security/advisories
      or .../security/advisories/new (ADVISORY_URL_RE). A link to one published
      advisory (.../advisories/GHSA-...) is not a way to report anything.
"public-issues-only"
    There is no private channel AND some line of the visible text invites public
    issues: ISSUE_INVITE_RE matches it ("open an issue", "file a new issue", a link
    to .../issues) and NEGATION_RE does not ("Please do NOT open a public issue" is a
    warning, not an invitation).
"no-supported-versions"
    No heading of the visible text contains "version" (any case). Headings come in
    two styles, and both count:
    - ATX: up to 3 spaces, 1 to 6 "#", then a space or tab (ATX_HEADING_RE):
      "## Supported Versions". "#Supported Versions" is a paragraph, not a heading.
    - setext: a non-blank line followed by a line of only "=" or only "-"
      (SETEXT_UNDERLINE_RE), e.g. "Supported Versions" over "==================".
"no-response-time"
    The visible text states no time: a number (digits, or one to ten in words), an
    optional range, then hours, days, weeks or months (RESPONSE_TIME_RE): "within 48
    hours", "3 business days", "two weeks", "a 7-day window".
"secret-in-policy"
    One of SECRET_PATTERNS matches the RAW markdown, comments and code blocks
    included: everyone who clones the repository can read those.

Examples
--------

>>> lint_security_policy(
...     "## Supported Versions\\n\\nOnly the latest release.\\n\\n"
...     "## Reporting\\n\\nEmail security@example.org. We reply within 3 days.\\n"
... )
[]
>>> lint_security_policy("To report a vulnerability, open an issue.")
['no-private-channel', 'public-issues-only', 'no-supported-versions', 'no-response-time']
>>> lint_security_policy("<!-- security@example.org -->")
['empty']

Why it matters
--------------

A vulnerability reported in a public issue is public before there is a fix: every
user is exposed while you work on it. GitHub's documentation warns that without clear
instructions, researchers may have no choice but to post publicly. A policy that
names a private channel, the versions you fix, and how soon you answer lets people
report responsibly and tells them what to expect. And a policy is a public file:
a key pasted into it, even inside a comment, is leaked.
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

# --- Ready to use: every pattern the rules above mention. -----------------------
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
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")  # group(1): the fence, e.g. "```"
ATX_HEADING_RE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?[ \t]*$")  # group(1): the title
SETEXT_UNDERLINE_RE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")


def visible_text(markdown: str) -> str:
    """The text a reader of the rendered page sees (a suggested helper)."""
    # TODO: drop fenced code blocks line by line (FENCE_RE opens; the same character,
    #       at least as many, alone on a line closes; unclosed runs to the end).
    # TODO: then drop HTML comments, including an unclosed one.
    raise NotImplementedError("TODO: implement visible_text")


def headings(text: str) -> list[str]:
    """The titles of all ATX and setext headings in `text` (a suggested helper)."""
    # TODO: ATX_HEADING_RE for "## Title"; a non-blank line followed by a line that
    #       SETEXT_UNDERLINE_RE matches for setext headings.
    raise NotImplementedError("TODO: implement headings")


def lint_security_policy(markdown: str) -> list[str]:
    """Problem codes for a SECURITY.md text, in the order of CODES, each at most once."""
    # TODO: TypeError for anything that is not a str.
    # TODO: the channel, issues, versions and response-time checks read the VISIBLE text;
    #       the secret check reads the RAW markdown.
    raise NotImplementedError("TODO: implement lint_security_policy")
