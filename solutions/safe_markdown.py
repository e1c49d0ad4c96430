"""Reference solution for `safe_markdown`: neutralise Markdown that fetches or links off-site."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# Ready to use. Each regex is applied with .sub() and a function that gets the match.

# [label]: URL "optional title", alone on its line, maybe after indentation, `>` quote
# markers and one list marker. Groups: lead, label, dest (with <> if it had them).
REF_DEF_RE = re.compile(
    r"^(?P<lead>[ \t]*(?:>[ \t]*)*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?)"
    r"\[(?P<label>[^\[\]]+)\]:[ \t]*\n?[ \t>]*"
    r"(?P<dest><[^<>\n]*>|\S+)"
    r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*$",
    re.MULTILINE,
)

# ![ALT](inside) or [TEXT](inside). Groups: bang ("!" for an image), text, inside (what
# is between the parentheses; one level of nested parentheses allowed).
INLINE_RE = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\[\]]*)\]\((?P<inside>[^()]*(?:\([^()]*\)[^()]*)*)\)"
)

# Any ](inside) at all. Group: inside.
LINK_TAIL_RE = re.compile(r"\]\((?P<inside>[^()]*(?:\([^()]*\)[^()]*)*)\)")

# <scheme:...> autolinks. Group: url.
AUTOLINK_RE = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>")

# An HTML tag: <name ...>, </name>, <name/...>; it ends at the next > (or where the
# next tag starts). Groups: close ("/" for a closing tag), name.
HTML_TAG_RE = re.compile(r"<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)[^<>]*>?")


def link_destination(inside: str) -> str:
    """The URL part of what is between an inline link's parentheses (ready to use).

    >>> link_destination('https://img.example.com/a.png "A title"')
    'https://img.example.com/a.png'
    >>> link_destination("<https://evil.example/a b>")
    'https://evil.example/a b'
    """
    inside = inside.strip()
    if inside.startswith("<"):
        end = inside.find(">")
        return inside[1:end] if end != -1 else inside[1:]
    return inside.split(maxsplit=1)[0] if inside else ""


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


def render_safe_markdown(md: str, allowed_hosts: set[str]) -> str:
    """Neutralise images, links and HTML whose URL is not on an allowed host."""
    hosts = {host.lower() for host in allowed_hosts}

    def allowed(url: str) -> bool:
        return is_allowed_url(url, hosts)

    def definition(match: re.Match[str]) -> str:
        dest = match["dest"]
        if dest.startswith("<") and dest.endswith(">"):
            dest = dest[1:-1]
        # Dropping the definition turns every ![x][label] that uses it into plain text.
        return match[0] if allowed(dest) else match["lead"]

    def inline(match: re.Match[str]) -> str:
        if allowed(link_destination(match["inside"])):
            return match[0]
        if match["bang"]:  # an image: say that one was here, never fetch it
            return f"[image: {match['text']}]" if match["text"].strip() else "[image]"
        return match["text"]  # a link: keep what the reader sees, drop where it goes

    def tail(match: re.Match[str]) -> str:
        return match[0] if allowed(link_destination(match["inside"])) else "]"

    def autolink(match: re.Match[str]) -> str:
        return match[0] if allowed(match["url"]) else "[link removed]"

    def html_tag(match: re.Match[str]) -> str:
        # Raw HTML is removed whatever its URL: <img>, <iframe>, <a>, <svg> and friends
        # have too many ways to carry a URL (src, srcset, poster, href, style) to vet.
        is_image = match["name"].lower() == "img" and not match["close"]
        return "[image]" if is_image else ""

    # A replacement can create a new construct ("![x](u1)(u2)" -> "[image: x](u2)"), so
    # repeat until nothing changes. Each pass that changes something removes at least one
    # "(" or "<" for good, so the loop ends.
    previous = None
    while md != previous:
        previous = md
        md = REF_DEF_RE.sub(definition, md)
        md = INLINE_RE.sub(inline, md)
        md = LINK_TAIL_RE.sub(tail, md)
        md = AUTOLINK_RE.sub(autolink, md)
        md = HTML_TAG_RE.sub(html_tag, md)
    return md
