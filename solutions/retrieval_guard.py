r"""Reference defence for the retrieval_guard lab: defence in depth.

1. What the model reads (clean_document): only what a customer would see on the
   page. HTML comments and elements hidden with CSS or ``hidden`` are dropped
   (parsed with html.parser, not guessed at with patterns), invisible format
   characters (zero-width, bidi, Unicode tags) removed, and the text
   NFKC-normalised, so fullwidth or zero-width-split words read as the plain
   words they are. Then sentences that give the assistant an order are removed:
   an override ("ignore/disregard/forget ... instructions/above") anywhere, or a
   sentence that, after an optional address ("Assistant:", "Note to AI:",
   "Please", "When you answer,"), starts with an output verb *and* carries
   something to output (quoted text, a link or an image). Ordinary sentences
   that merely contain those words ("you can safely ignore the email", "Please
   include your order number") stay.

2. What the customer's screen loads (safe_reply): links and images are kept
   only when their host is example.com or under it; any other is replaced by
   its text. Raw HTML is removed, and a bare URL to another host too. Then the
   result is parsed again with markdown-it and, if any URL outside the allowed
   hosts is still there (a construct the rewrite did not know), the reply is
   refused: failing closed.

Neither layer is enough alone: the first misses orders it has no pattern for,
the second cannot stop a hijacked answer that carries no link.
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

ALLOWED_HOSTS = ("example.com",)  # and every subdomain, e.g. help.example.com

REFUSAL = "Sorry, I can't show that answer. Please contact support@example.com."
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|opacity\s*:\s*0",
    re.IGNORECASE)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_LEAD = (r"^(?:[\W_]|\d+[.)])*"
         r"(?:(?:assistant|ai|system|model|chatbot|bot|important|urgent|attention|admin|"
         r"note to (?:the )?(?:ai|assistant|model))\s*[:,!\-]+\s*)*"
         r"(?:(?:please|kindly|now)\s+|(?:when|before|after|whenever|first)\b[^,]{0,80},\s*)*")
_OUTPUT_VERB = re.compile(
    _LEAD + r"(?:say|reply|respond|answer|write|output|print|include|add|append|insert|"
    r"render|show|display|embed|reveal|repeat)\b", re.IGNORECASE)
_OVERRIDE = re.compile(r"\b(?:ignore|disregard|forget)\b.{0,40}?\b(?:instructions?|above|"
                       r"previous|prior|rules|everything)\b", re.IGNORECASE)
_PAYLOAD = re.compile(r"[\"“”]|\]\(|<img\b|https?://", re.IGNORECASE)
_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)")
_BARE_URL = re.compile(r"https?://[^\s<>()\"'`\]]+", re.IGNORECASE)


class _VisibleText(HTMLParser):
    """The text of an HTML fragment as a browser shows it: no comments, no hidden
    elements, no tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0  # > 0 inside a hidden element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if self.hidden_depth:
            self.hidden_depth += 1
            return
        values = dict(attrs)
        if ("hidden" in values or values.get("aria-hidden") == "true"
                or _HIDDEN_STYLE.search(values.get("style") or "")):
            self.hidden_depth = 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def without_invisibles(text: str) -> str:
    kept = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFKC", kept)


def is_order(sentence: str) -> bool:
    """Does this sentence give the assistant an order it could act on?"""
    if _OVERRIDE.search(sentence):
        return True
    return bool(_OUTPUT_VERB.match(sentence)) and bool(_PAYLOAD.search(sentence))


def clean_document(text: str) -> str | None:
    """The document as the model may read it, or None to leave it out."""
    if not isinstance(text, str):
        return None
    readable = without_invisibles(visible_text(text))
    lines = []
    for line in readable.splitlines():
        kept = [s for s in _SENTENCE.split(line) if not is_order(s)]
        lines.append(" ".join(kept))
    cleaned = "\n".join(lines).strip()
    return cleaned or None


def host_allowed(url: str) -> bool:
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return False
    if host is None:
        return not url.strip().lower().startswith(("javascript:", "data:", "//"))
    host = host.rstrip(".").lower()
    return any(host == allowed or host.endswith("." + allowed) for allowed in ALLOWED_HOSTS)


def _rewrite_link(match: re.Match[str]) -> str:
    text, url = match.group(2), match.group(3)
    return match.group(0) if host_allowed(url) else text


def _rewrite_bare(match: re.Match[str]) -> str:
    return match.group(0) if host_allowed(match.group(0)) else "[link removed]"


def _urls(markdown: str) -> list[str]:
    found = []
    tokens = MarkdownIt("commonmark").parse(markdown)
    stack = list(tokens)
    while stack:
        token = stack.pop()
        stack.extend(token.children or [])
        if token.type == "link_open":
            found.append(str(token.attrs.get("href", "")))
        elif token.type == "image":
            found.append(str(token.attrs.get("src", "")))
        elif token.type in ("html_inline", "html_block"):
            found.append("//raw-html")  # there should be none left
        elif token.type in ("text", "code_inline", "fence", "code_block"):
            found.extend(_BARE_URL.findall(token.content))
    return found


def safe_reply(reply: str) -> str:
    """The reply as the customer's chat window may render it."""
    if not isinstance(reply, str):
        return REFUSAL
    text = visible_text(reply)  # raw HTML (an <img>, say) is not for the chat window
    text = _LINK.sub(_rewrite_link, text)
    text = _BARE_URL.sub(_rewrite_bare, text)
    if not all(host_allowed(url) for url in _urls(text)):
        return REFUSAL
    return text
