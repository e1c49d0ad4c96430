"""safe_markdown's reference solution against markdown-it-py, a CommonMark renderer.

Hypothesis writes Markdown documents that mix inline and reference-style images and
links, autolinks, raw HTML, entities, backslash escapes, nested parentheses, the
three line endings, lists, block quotes and code, with URLs on the allowed host and
on others. Each document goes through render_safe_markdown(); its output is rendered
with markdown-it-py's "commonmark" preset, and the HTML is read with html.parser and
urllib.parse (no regexes). The properties:

1. no <img src> or <a href> in the rendered output points anywhere but an allowed
   host over http(s);
2. every allowed image and link that the input rendered to (outside raw HTML)
   is still there, and a document with nothing to remove renders exactly as before;
3. the output is stable: sanitising it again changes nothing that renders.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from reference import load_solution

solution = load_solution("safe_markdown")
RENDER = MarkdownIt("commonmark")
ALLOWED = {"img.example.com"}

# Deliberate differences from "render the input as it is", and why. The tests
# exclude exactly these (see _expected_urls and _harmless).
DIFFERENCES = {
    "raw HTML": "Every raw HTML tag and HTML block is dropped, even when its URLs are "
    "allowed: HTML has too many ways to carry a URL to vet (starter docstring, "
    "'What stays, on purpose').",
    "formatting": "The output is Markdown written anew from the tokens: text is "
    "backslash-escaped, reference links become inline links, setext headings become "
    "ATX headings, indented code becomes fenced code (starter docstring, 'Ready to "
    "use'). It renders to the same HTML, but for spaces at the end of a line, which "
    "the tests ignore.",
    "loose lists": "A list item whose only blank line sits before something that renders "
    "nothing (a reference definition, dropped HTML) comes out tight: <li>a</li> instead "
    "of <li><p>a</p></li>. The tests compare list items without that <p>.",
    "bare URLs": "A URL written as plain text stays text; CommonMark does not link it, "
    "so the tests render without linkify (starter docstring, 'What stays, on purpose').",
}


class _Collect(HTMLParser):
    """The URLs a browser would fetch or follow, and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append((tag, value))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _read(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    parser.close()
    return parser


def _allowed(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and parts.hostname in ALLOWED
    except ValueError:
        return False


# --- generated Markdown -------------------------------------------------------------

SCHEMES = ["https://", "http://", "HTTPS://", "https&colon;//", "https&#58;//", "//", ""]
USERINFO = ["", "", "img.example.com@", "evil.example@", "evil.example&num;@",
            "evil.example&quest;@", "evil.example&sol;@", "evil.example&#35;@",
            "evil.example\\@", "evil.example%23@"]
HOSTS = ["img.example.com", "img.example.com", "IMG.Example.COM", "evil.example",
         "img.example.com.evil.example", "cdn.img.example.com", "іmg.example.com"]
PATHS = ["/p.png", "/p.png?q=SECRET", "/p.png?q=((SECRET))", "/p.png?q=\\(SECRET",
         "/p.png?q=(a)(b)", "/x_(1).png", "/a&amp;b.png", "/%41.png", "", "/?u=<EMAIL_1>",
         "/p.png#frag", "/p.png?a=1&b=2"]
SCRIPTS = ["javascript:alert(1)", "JaVaScRiPt&colon;alert(1)", "data:image/png;base64,AA==",
           "vbscript:x", "mailto:ann@example.com", "/relative.png", "p.png"]


@st.composite
def urls(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(SCRIPTS))
    return (draw(st.sampled_from(SCHEMES)) + draw(st.sampled_from(USERINFO))
            + draw(st.sampled_from(HOSTS)) + draw(st.sampled_from(PATHS)))


TITLES = ["", ' "A title"', " 'single'", " (paren)", '\n"next line"']
WORDS = ["Hello", "world.", "Order 1042.", "Hi Ann!", "a * b", "[sic]", "2 < 3", "&amp;",
         "&copy;", "x_y_z", "`code`", "*em*", "**strong**", "\\*not em\\*", "1. one",
         "# not", "- dash", "ünï 👋", "(see table)", "]", "[", "!", "\\", "<EMAIL_1>"]
LABELS = ["r", "R", "ref", "Q1 numbers", "logo"]


@st.composite
def destinations(draw: st.DrawFn) -> str:
    url = draw(urls())
    if draw(st.booleans()) and "\n" not in url:
        return f"<{url}>"
    return url


@st.composite
def inline_bits(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 11))
    alt = draw(st.sampled_from(["x", "", "loading", "a [b] c", "Q1 numbers"]))
    if kind == 0:
        return f"![{alt}]({draw(destinations())}{draw(st.sampled_from(TITLES))})"
    if kind == 1:
        return f"[{draw(st.sampled_from(WORDS))}]({draw(destinations())})"
    if kind == 2:
        return f"[![{alt}]({draw(destinations())})]({draw(destinations())})"
    if kind == 3:
        return f"<{draw(urls())}>"
    if kind == 4:
        return f'<img src="{draw(urls())}">'
    if kind == 5:
        return f'<a href="{draw(urls())}">click</a>'
    if kind == 6:
        label = draw(st.sampled_from(LABELS))
        return draw(st.sampled_from([f"![{alt}][{label}]", f"![{label}][]", f"![{label}]",
                                     f"[{label}]", f"[see][{label}]"]))
    return draw(st.sampled_from(WORDS))


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    bits = draw(st.lists(inline_bits(), min_size=1, max_size=5))
    return draw(st.sampled_from([" ", "\n", "  \n"])).join(bits)


@st.composite
def definitions(draw: st.DrawFn) -> str:
    label = draw(st.sampled_from(LABELS))
    sep = draw(st.sampled_from([" ", "\n  ", ""]))
    return f"[{label}]:{sep}{draw(destinations())}{draw(st.sampled_from(TITLES))}"


PREFIXES = ["", "", "   ", "> ", "- ", "* ", "1. ", "2) ", "> - ", "-   > ", "> > ", "- a\n\n  ",
            "- - ", "1. - ", "    "]


@st.composite
def blocks(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 7))
    if kind == 0:
        body = draw(definitions())
    elif kind == 1:
        lang = draw(st.sampled_from(["", "python", "md"]))
        body = f"```{lang}\n{draw(paragraphs())}\n```"
    elif kind == 2:
        body = f"{draw(st.sampled_from(['#', '##', '###']))} {draw(paragraphs())}"
    elif kind == 3:
        body = f'<div>\n<img src="{draw(urls())}">\n</div>'
    else:
        body = draw(paragraphs())
    return draw(st.sampled_from(PREFIXES)) + body


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = draw(st.lists(blocks(), min_size=1, max_size=5))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    joiners = draw(st.lists(st.sampled_from(["\n\n", "\n"]), min_size=len(parts),
                            max_size=len(parts)))
    doc = "".join(part + joiner for part, joiner in zip(parts, joiners, strict=True))
    return doc.replace("\n", newline)


# --- the properties -----------------------------------------------------------------


def _expected_urls(md: str) -> list[tuple[str, str]]:
    """Allowed URLs of the input's own links and images (raw HTML left out)."""
    found = []
    for token in RENDER.parse(md):
        for child in token.children or []:
            if child.type == "image" and _allowed(child.attrGet("src")):
                found.append(("img", child.attrGet("src")))
            elif child.type == "link_open" and _allowed(child.attrGet("href")):
                found.append(("a", child.attrGet("href")))
    return found


def _harmless(md: str) -> bool:
    """True when nothing in the input needs removing: no raw HTML, no refused URL."""
    for token in RENDER.parse(md):
        if token.type == "html_block":
            return False
        for child in token.children or []:
            if child.type == "html_inline":
                return False
            url = child.attrGet("src") if child.type == "image" else (
                child.attrGet("href") if child.type == "link_open" else None)
            if url is not None and not _allowed(url):
                return False
    return True


def _tight(html: str) -> str:
    """HTML with list items written tight and no spaces at line ends (see DIFFERENCES)."""
    html = html.replace("<li>\n<p>", "<li>").replace("</p>\n</li>", "</li>")
    return "\n".join(line.rstrip(" ") for line in html.split("\n"))


@settings(max_examples=200)  # each example parses and renders four times: keep under ~10 s
@given(documents())
def test_against_markdown_it(md: str) -> None:
    out = solution.render_safe_markdown(md, set(ALLOWED))
    html = RENDER.render(out)
    seen = _read(html).urls

    # 1. Nothing points anywhere but an allowed host.
    foreign = [(tag, url) for tag, url in seen if not _allowed(url)]
    assert not foreign, (
        f"render_safe_markdown({md!r}) returned {out!r}, which markdown-it renders with "
        f"{foreign}: a URL outside {sorted(ALLOWED)}."
    )

    # 2. Allowed links and images survive; with nothing to remove, nothing changes.
    expected = _expected_urls(md)
    assert sorted(seen) == sorted(expected), (
        f"render_safe_markdown({md!r}) returned {out!r}: its links and images are {seen}, "
        f"expected exactly the allowed ones of the input, {expected}."
    )
    if _harmless(md):
        assert _tight(html) == _tight(RENDER.render(md)), (
            f"render_safe_markdown({md!r}) returned {out!r}: nothing needed removing, yet "
            f"it renders as {html!r} instead of {RENDER.render(md)!r}."
        )

    # 3. Stable: the output is already what the filter keeps.
    twice = solution.render_safe_markdown(out, set(ALLOWED))
    assert RENDER.render(twice) == html, (
        f"render_safe_markdown() of {out!r} (itself the output for {md!r}) renders "
        f"differently: {RENDER.render(twice)!r} instead of {html!r}."
    )
