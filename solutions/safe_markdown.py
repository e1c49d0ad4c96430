"""Reference solution for `safe_markdown`: decide on parsed tokens, then write Markdown anew."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from urllib.parse import urlsplit

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
# The decisions
# ---------------------------------------------------------------------------


def is_allowed_url(url: str, allowed_hosts: set[str]) -> bool:
    """True if `url` is http(s) on exactly one of `allowed_hosts`; never raises."""
    if not isinstance(url, str) or not url:
        return False
    # Characters that parsers disagree about. A browser treats "\\" as "/" in http(s)
    # URLs and drops tabs and newlines; urlsplit does not do the first. Where two parsers
    # could disagree about the host, refuse instead of guessing.
    if "\\" in url or any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname  # lower-cased, without user:password@ and :port
    except ValueError:  # e.g. "https://[host/" or NFKC tricks in the netloc
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    # Exact match only: no "in", no endswith(), no subdomains.
    return host in {allowed.lower() for allowed in allowed_hosts}


def safe_inline(children: list[Token], allowed_hosts: set[str]) -> list[Token]:
    """The inline tokens to keep: allowed links and images, and plain text."""
    kept: list[Token] = []
    in_refused_link = False  # between a refused link_open and its link_close
    hide_text = False  # ... of an autolink, whose text is the URL itself
    for token in children:
        if token.type == "link_open":
            # href is what the renderer will use: entities decoded, references
            # resolved, escapes applied, percent-encoded. Judge that, not the source.
            if is_allowed_url(token.attrGet("href"), allowed_hosts):
                kept.append(token)
            else:
                in_refused_link = True
                hide_text = token.markup == "autolink"
                if hide_text:
                    kept.append(text_token(LINK_REMOVED))
        elif token.type == "link_close":
            if in_refused_link:  # links don't nest, so one flag is enough
                in_refused_link = hide_text = False
            else:
                kept.append(token)
        elif hide_text:
            continue
        elif token.type == "image":
            if is_allowed_url(token.attrGet("src"), allowed_hosts):
                kept.append(token)
            else:  # say that an image was here; never fetch it
                alt = token.content.strip()
                kept.append(text_token(f"[image: {alt}]" if alt else "[image]"))
        elif token.type in PLAIN_INLINE:
            kept.append(token)
        # Anything else is dropped: raw HTML (<img>, <a>, <iframe>, ...) has too many
        # ways to carry a URL to vet, and a type we don't know we cannot judge.
    return kept


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
