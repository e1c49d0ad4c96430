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

Read the policy the way a reporter sees it: rendered. Do not cut Markdown apart with
regular expressions; a fence inside an HTML comment, or "<!--" inside a code block,
fools a line-by-line approach. A parser reads the document once, in order, like the
renderer does. `parse(markdown)` (ready to use, markdown-it-py with the CommonMark
rules GitHub's Markdown builds on) gives a flat list of tokens:

    ## Reporting                           heading_open, inline "Reporting", heading_close
                                           paragraph_open, inline, paragraph_close; the
    Mail [us](mailto:sec@example.org)        inline's children: text "Mail ",
    <!-- or the old list -->                 link_open (attrs {"href": "mailto:sec@..."}),
    within 3 days.                           text "us", link_close, text " ",
                                             html_inline "<!-- or the old list -->",
                                             softbreak, text "within 3 days."
    ```                                    fence (content "sec@template.example\\n")
    sec@template.example
    ```

Step 1: visible_text(tokens) -> str, the text a reader sees. Go through the tokens:

- inline: its visible text, one line per inline token. Of its children (token.children)
    - text and code_inline show their `content` (inline code is visible);
    - softbreak and hardbreak are line breaks: "\\n";
    - link_open shows nothing itself, but the reader can click it: add its
      `attrs["href"]` (with spaces around it), so a linked address counts;
    - html_inline is raw HTML: a comment ("<!--...") shows nothing, other HTML is
      kept as it is;
    - everything else (link_close, em_open, image, ...) adds nothing.
- html_block: raw HTML on lines of its own. html_text(token.content) gives
  (text without comments, unclosed): keep the text; if a comment never closes, a
  browser hides everything after it, so stop there.
- fence and code_block (fenced or indented code) add nothing: code blocks in a
  policy hold templates and examples, not the project's address.
- every other token (paragraph_open, heading_close, ...) adds nothing.

Step 2: lint_security_policy(markdown). Parse once; the secret check reads the RAW
markdown, every other check reads the visible text. The codes:

"empty"
    The visible text is empty or only whitespace. Then skip the three visible-text
    checks below (they would only repeat that nothing is there); the secret check
    still runs.
"no-private-channel"
    The visible text names no private channel (has_private_channel, ready to use):
    an email address; an address spelled out against spam with EVERY dot written as
    "dot" ("security at example dot org", "security [at] example [dot] org"); or a
    link to the repository's GitHub security advisories, where private vulnerability
    reporting lives (.../security/advisories or .../security/advisories/new; a link to
    one published advisory, .../advisories/GHSA-..., is not a way to report anything).
"public-issues-only"
    There is no private channel AND some line of the visible text invites public
    issues: ISSUE_INVITE_RE matches the line ("open an issue", "file a new issue", a
    link to .../issues) and NEGATION_RE does not ("Please do NOT open a public issue"
    is a warning, not an invitation).
"no-supported-versions"
    No heading contains "version" (any case). headings(tokens), ready to use, gives
    the visible text of every heading, "## Supported Versions" and the underlined
    "Supported Versions" over "===" alike.
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
>>> lint_security_policy("Our address: `security@example.org` (we answer in 2 days)")
['no-supported-versions']

Why it matters
--------------

A vulnerability reported in a public issue is public before there is a fix: every
user is exposed while you work on it. GitHub's documentation warns that without clear
instructions, researchers may have no choice but to post publicly. A policy that
names a private channel, the versions you fix, and how soon you answer lets people
report responsibly and tells them what to expect. And a policy is a public file:
a key pasted into it, even inside a comment, is leaked.

Going further (no check requires these)
---------------------------------------

- GitHub renders GitHub Flavored Markdown, a superset of CommonMark: tables and bare
  URLs that become links. Neither changes which text is visible, which is why the
  plain CommonMark rules are enough here. Try MarkdownIt("gfm-like") and compare.
- Raw HTML can hide text in ways this linter does not model (`<details>` that starts
  closed, or tags GitHub's sanitiser removes). Which of them would a reporter miss?
- Report where each problem is: token.map holds the source line numbers of a block.
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

# --- Ready to use: the patterns the rules above mention. ------------------------
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

# --- Ready to use: the parser and three helpers. --------------------------------
MARKDOWN = MarkdownIt("commonmark")


def parse(markdown: str) -> list[Token]:
    """The block tokens of `markdown`, in document order."""
    return MARKDOWN.parse(markdown)


def html_text(html: str) -> tuple[str, bool]:
    """What a browser shows of raw HTML: (the text without its comments, unclosed).

    `unclosed` is True when a comment never closes: a browser then hides everything
    after its "<!--", to the end of the page.
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


def has_private_channel(text: str) -> bool:
    """An email address, a spelled-out one, or a link to the security advisories."""
    return bool(
        EMAIL_RE.search(text) or SPELLED_EMAIL_RE.search(text) or ADVISORY_URL_RE.search(text)
    )


def headings(tokens: list[Token]) -> list[str]:
    """The visible text of every heading, in order (uses your visible_text rules)."""
    titles: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "html_block" and html_text(token.content)[1]:
            break  # nothing after an unclosed comment is shown
        if token.type == "heading_open":
            titles.append(visible_text([tokens[index + 1]]).strip())  # its inline token
    return titles


# --- Your part. -------------------------------------------------------------------
def visible_text(tokens: list[Token]) -> str:
    """The text a reader of the rendered page sees (step 1 above)."""
    # TODO: inline tokens: walk token.children (text, code_inline, breaks, link hrefs,
    #       raw HTML that is not a comment); html_block: html_text(), and stop at an
    #       unclosed comment; fence and code_block: nothing.
    raise NotImplementedError("TODO: implement visible_text")


def lint_security_policy(markdown: str) -> list[str]:
    """Problem codes for a SECURITY.md text, in the order of CODES, each at most once."""
    # TODO: TypeError for anything that is not a str.
    # TODO: tokens = parse(markdown) once; the channel, issues, versions and response-time
    #       checks read visible_text(tokens); the secret check reads the RAW markdown.
    raise NotImplementedError("TODO: implement lint_security_policy")
