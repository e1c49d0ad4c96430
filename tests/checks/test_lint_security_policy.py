"""Hidden checks for `lint_security_policy`.

The policies below were written for these checks. Their layout follows the template
GitHub offers for SECURITY.md ("Supported Versions", "Reporting a Vulnerability"), and
example.org / example.com are reserved for documentation by RFC 2606. The AWS key ID
is the placeholder AWS publishes in its IAM documentation (see ATTRIBUTION.md).
"""

from __future__ import annotations

import time

GOOD = """\
# Security Policy

## Supported Versions

| Version | Supported |
| ------- | --------- |
| 2.x     | yes       |
| < 2.0   | no        |

## Reporting a Vulnerability

Please email security@example.org, or use
[private vulnerability reporting](https://github.com/example/project/security/advisories/new).
Please do not open a public issue for security problems.

We acknowledge reports within 3 business days and aim to publish a fix within 90 days.
"""

# The same content, every part changed to another accepted form.
GOOD_SETEXT = """\
Security Policy
===============

Versions we fix
---------------

Only the latest release gets security fixes.

How to report
-------------

Write to security [at] example [dot] org. Don't file a public issue.
You will hear from us within two weeks.
"""

NO_CHANNEL_PROBLEM = "no-private-channel"
AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"


def _lint(exercise, markdown: str) -> list[str]:
    return exercise.lint_security_policy(markdown)


def _short(markdown: str) -> str:
    """A readable excerpt of a policy for messages."""
    text = repr(markdown)
    return text if len(text) <= 300 else text[:300] + "...'"


def test_accepts_complete_policies(exercise):
    """Finds no problem in complete policies, whatever their heading style"""
    cases = [
        (GOOD, "ATX headings, an email address and a GitHub advisories link"),
        (GOOD_SETEXT, "setext headings and a spelled-out address"),
        (GOOD.replace("\n", "\r\n"), "Windows line endings"),
    ]
    for markdown, what in cases:
        got = _lint(exercise, markdown)
        assert got == [], (
            f"lint_security_policy({_short(markdown)}) returned {got!r}, expected []: this "
            f"policy ({what}) names a private channel, has a heading about versions and "
            "states a response time. A linter that fails good policies gets switched off, "
            "and then it protects nobody."
        )


def test_reports_a_missing_private_channel(exercise):
    """Reports a policy that names no private way to report"""
    cases = [
        "## Supported Versions\n\nAll.\n\nWe reply within 2 days. Tell the maintainers.\n",
        "## Supported Versions\n\nAll.\n\nWe reply within 2 days. "
        "See https://github.com/example/project/security/policy\n",
        "## Supported Versions\n\nAll.\n\nWe reply within 2 days. Write to security@example\n",
    ]
    for markdown in cases:
        got = _lint(exercise, markdown)
        assert got == [NO_CHANNEL_PROBLEM], (
            f"lint_security_policy({_short(markdown)}) returned {got!r}, expected "
            f"[{NO_CHANNEL_PROBLEM!r}]: there is no email address (security@example has no "
            "top-level domain) and no link to .../security/advisories. Without a private "
            "channel, a reporter's only options are public ones, and the vulnerability is "
            "public before it is fixed."
        )


def test_reports_public_issues_as_the_only_route(exercise):
    """Reports a policy whose only route is a public issue"""
    cases = [
        "To report a vulnerability, open an issue.",
        "Found a security bug? Please file a new GitHub issue.",
        "Report problems at https://github.com/example/project/issues",
    ]
    expected = [
        "no-private-channel",
        "public-issues-only",
        "no-supported-versions",
        "no-response-time",
    ]
    for markdown in cases:
        got = _lint(exercise, markdown)
        assert got == expected, (
            f"lint_security_policy({markdown!r}) returned {got!r}, expected {expected!r}: the "
            "policy sends reporters to the public issue tracker and offers nothing private, "
            "and it has no versions heading and no response time. Codes come in the order of "
            "CODES. An issue is readable by everyone, attackers included, from the moment it "
            "is opened."
        )


def test_warnings_against_issues_are_not_invitations(exercise):
    """Does not call a warning against public issues an invitation"""
    base = "## Supported Versions\n\nAll.\n\nWe reply within 2 days. "
    cases = [
        base + "Please do not open a public issue.",
        base + "Don't file an issue for security bugs.",
        base + "Please don’t open an issue (curly apostrophe).",
        base + "Never create a GitHub issue for a vulnerability.",
    ]
    for markdown in cases:
        got = _lint(exercise, markdown)
        assert got == [NO_CHANNEL_PROBLEM], (
            f"lint_security_policy({markdown!r}) returned {got!r}, expected "
            f"[{NO_CHANNEL_PROBLEM!r}]: the line with the issue wording also contains a "
            "negation (NEGATION_RE), so it warns against public issues. The policy still "
            "lacks a private channel, but 'public-issues-only' would blame it for the advice "
            "it gets right."
        )
    both = base + "Email security@example.org. For ordinary bugs, open an issue."
    got = _lint(exercise, both)
    assert got == [], (
        f"lint_security_policy({both!r}) returned {got!r}, expected []: an issue tracker for "
        "ordinary bugs is fine when a private channel exists. 'public-issues-only' applies "
        "only when public issues are the sole route."
    )


def test_hidden_channels_do_not_count(exercise):
    """Ignores a channel that only appears in a comment or a code block"""
    tail = "\n\n## Supported Versions\n\nAll.\n\nWe reply within 2 days.\n"
    cases = [
        ("<!-- security@example.org -->", "an HTML comment (an html_block token)"),
        ("<!--\nTODO: add security@example.org\n-->", "a multi-line HTML comment (an "
         "html_block token)"),
        ("Report here: <!-- https://github.com/example/project/security/advisories/new -->",
         "an HTML comment next to visible text (an html_inline child of the paragraph's "
         "inline token)"),
        ("```\nsecurity@example.org\n```", "a backtick code block (a fence token)"),
        ("~~~~text\nsecurity@example.org\n~~~~", "a tilde code block (a fence token)"),
        ("````\n```\nsecurity@example.org\n````", "a code block whose shorter inner fence "
         "does not close it (one fence token)"),
        ("Our address:\n\n    security@example.org", "an indented code block, four spaces "
         "(a code_block token)"),
        ("[report]: https://github.com/example/project/security/advisories/new",
         "a link reference definition that no link uses (it is never rendered and makes "
         "no token)"),
    ]
    for hidden, where in cases:
        markdown = hidden + tail
        got = _lint(exercise, markdown)
        assert got == [NO_CHANNEL_PROBLEM], (
            f"lint_security_policy({markdown!r}) returned {got!r}, expected "
            f"[{NO_CHANNEL_PROBLEM!r}]: the only channel is inside {where}. The rendered page "
            "hides comments and definitions and shows code blocks as examples, so check the "
            "visible text: a reporter cannot use an address they never see."
        )
    unclosed_cases = [
        "## Supported Versions\n\nAll, within 2 days.\n\n<!-- draft\nsecurity@example.org",
        "## Supported Versions\n\nAll, within 2 days.\n\n<div>\n<!-- draft\n\n"
        "Email security@example.org.",
    ]
    for unclosed in unclosed_cases:
        got = _lint(exercise, unclosed)
        assert got == [NO_CHANNEL_PROBLEM], (
            f"lint_security_policy({unclosed!r}) returned {got!r}, expected "
            f"[{NO_CHANNEL_PROBLEM!r}]: a comment in raw HTML that is never closed hides "
            "everything after '<!--' in the browser, the address included, even past a "
            "blank line (html_text reports it as unclosed: stop there)."
        )
    after_block = "```\nexample\n```\n\nEmail security@example.org." + tail
    got = _lint(exercise, after_block)
    assert got == [], (
        f"lint_security_policy({after_block!r}) returned {got!r}, expected []: the address "
        "comes after the code block has closed, so it is visible. Close a fence at the next "
        "line made only of the same fence character."
    )


def test_reads_the_policy_in_document_order(exercise):
    """Reads comments and code blocks in document order, as a Markdown renderer does"""
    tail = (
        "\n\n## Supported Versions\n\nAll.\n\n"
        "Email security@example.org. We reply within 2 days.\n"
    )
    visible = [
        ("<!--\n```\n-->", "a fence opener inside an HTML comment is part of the comment; "
         "the comment closes at '-->' and the policy after it is visible"),
        ("<!-- An example:\n~~~~\n-->", "the same with a tilde fence that never closes"),
        ("```\n<!-- not a comment\n```", "'<!--' inside a fenced code block is code; the "
         "block closes at the second ``` and nothing after it is hidden"),
        ("Comments in Markdown look like `<!--` and never close.", "'<!--' inside inline "
         "code is code, not the start of a comment"),
        ("Draft <!-- to be continued", "an HTML comment inside a paragraph must close in that "
         "paragraph; otherwise '<!--' is shown as text and hides nothing"),
        ("<!-- internal note --> Reporting below.", "a comment that closes on its line hides "
         "only itself"),
    ]
    for before, why in visible:
        markdown = before + tail
        got = _lint(exercise, markdown)
        assert got == [], (
            f"lint_security_policy({markdown!r}) returned {got!r}, expected []: {why}. A "
            "renderer reads the document once, in order; cutting out fences and comments in "
            "two separate passes gets these wrong and hides a channel that every reader sees."
        )
    hidden = "<!--\n```\n" + tail.lstrip("\n")
    got = _lint(exercise, hidden)
    assert got == ["empty"], (
        f"lint_security_policy({hidden!r}) returned {got!r}, expected ['empty']: the comment "
        "opened on the first line never closes, so the whole policy after it is hidden; the "
        "``` inside the comment does not start a code block."
    )


def test_recognises_every_kind_of_channel(exercise):
    """Accepts spelled-out addresses and advisory links; rejects look-alikes"""
    frame = "## Supported Versions\n\nAll.\n\nWe reply within 2 days. {}\n"
    accepted = [
        "Mail SECURITY@Example.ORG.",
        "Mail <security@example.co.uk>.",
        "Mail security at example dot org.",
        "Mail security AT example DOT co DOT uk.",
        "Mail security(at)example(dot)org.",
        "Mail security {at} example {dot} org.",
        "Use https://github.com/example/project/security/advisories/new.",
        "Use [the form](https://GitHub.com/Example/my.project/security/advisories).",
        "Mail [our team](mailto:security@example.org).",
        "Mail security&#64;example.org.",
    ]
    for sentence in accepted:
        markdown = frame.format(sentence)
        got = _lint(exercise, markdown)
        assert got == [], (
            f"lint_security_policy({markdown!r}) returned {got!r}, expected []: {sentence!r} "
            "is a private channel (an email address, one spelled out with 'at' and 'dot', or "
            "a link to the repository's security advisories; any case; a link's target and "
            "an HTML entity such as &#64; count as the reader sees them). Missing it would "
            "nag a maintainer about a policy that is fine."
        )
    rejected = [
        "Our releases are at pypi.org.",
        "Mail security at example.org.",
        "See https://github.com/example/project/security/advisories/GHSA-xxxx-xxxx-xxxx.",
        "Use GitHub's private vulnerability reporting.",
    ]
    for sentence in rejected:
        markdown = frame.format(sentence)
        got = _lint(exercise, markdown)
        assert got == [NO_CHANNEL_PROBLEM], (
            f"lint_security_policy({markdown!r}) returned {got!r}, expected "
            f"[{NO_CHANNEL_PROBLEM!r}]: {sentence!r} is not a usable channel under the rules: "
            "a spelled-out address must spell out every dot, a link to one published "
            "advisory (GHSA-...) is not a reporting form, and a name without a link gives "
            "the reporter nowhere to go."
        )


def test_recognises_version_headings_in_both_styles(exercise):
    """Finds a versions heading in ATX or setext style, in any case, and nowhere else"""
    frame = "{}\n\nEmail security@example.org within 2 days.\n"
    accepted = [
        "## Supported Versions",
        "# SUPPORTED VERSIONS #",
        "   ###### Which versions get fixes?",
        "Supported versions\n==================",
        "Version support\n---",
    ]
    for heading in accepted:
        markdown = frame.format(heading)
        got = _lint(exercise, markdown)
        assert got == [], (
            f"lint_security_policy({markdown!r}) returned {got!r}, expected []: "
            f"{heading!r} is a heading (ATX '#' style or setext, underlined with '=' or '-') "
            "that contains 'version', in any case."
        )
    rejected = [
        ("#Supported Versions", "'#' without a space after it is a paragraph, not a heading"),
        ("Only supported versions get fixes.", "a sentence, not a heading"),
        ("```\n## Supported Versions\n```", "a heading inside a code block (a template)"),
        ("<!-- ## Supported Versions -->", "a heading inside an HTML comment"),
        ("\n---\nSupported Versions", "a line after a thematic break is not a heading"),
        ("## Reporting\n\nAll versions are supported.", "'version' in text, not in a heading"),
    ]
    for heading, why in rejected:
        markdown = frame.format(heading)
        got = _lint(exercise, markdown)
        assert got == ["no-supported-versions"], (
            f"lint_security_policy({markdown!r}) returned {got!r}, expected "
            f"['no-supported-versions']: {why}. Reporters look for a section that says "
            "which versions you still fix, so they know whether their finding matters."
        )


def test_requires_a_stated_response_time(exercise):
    """Requires a response time stated as a number and a unit"""
    frame = "## Supported Versions\n\nAll.\n\nEmail security@example.org. {}\n"
    accepted = [
        "We reply within 48 hours.",
        "Expect an answer in 3 business days.",
        "Expect an answer in two weeks.",
        "We aim for a 7-day turnaround.",
        "We respond within 5-10 working days.",
        "Fixes ship within ONE MONTH.",
    ]
    for sentence in accepted:
        markdown = frame.format(sentence)
        got = _lint(exercise, markdown)
        assert got == [], (
            f"lint_security_policy({markdown!r}) returned {got!r}, expected []: {sentence!r} "
            "states a time (RESPONSE_TIME_RE)."
        )
    rejected = [
        "We will reply promptly.",
        "We reply as soon as possible.",
        "Version 2 is current.",
        "<!-- We reply within 48 hours. -->",
    ]
    for sentence in rejected:
        markdown = frame.format(sentence)
        got = _lint(exercise, markdown)
        assert got == ["no-response-time"], (
            f"lint_security_policy({markdown!r}) returned {got!r}, expected "
            f"['no-response-time']: {sentence!r} gives no number with a unit of time in the "
            "visible text. 'Promptly' promises nothing; a reporter who hears nothing for weeks "
            "may decide to go public."
        )


def test_finds_secrets_anywhere_in_the_file(exercise):
    """Flags a secret even in a comment or a code block, but not a public PGP key"""
    good = GOOD
    cases = [
        (good + f"\nOur CI uses {AWS_KEY_ID}.\n", "an AWS access key ID in the text"),
        (good + f"\n<!-- aws_access_key_id = {AWS_KEY_ID} -->\n", "a key in an HTML comment"),
        (good + "\n```\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n```\n",
         "an OpenSSH private key in a code block"),
        (good + "\n-----BEGIN PGP PRIVATE KEY BLOCK-----\n", "a PGP private key block"),
        (good + "\ntoken: ghp_" + "a1B2" * 9 + "\n", "a GitHub personal access token"),
    ]
    for markdown, what in cases:
        got = _lint(exercise, markdown)
        assert got == ["secret-in-policy"], (
            f"lint_security_policy(<complete policy + {what}>) returned {got!r}, expected "
            "['secret-in-policy']: search the RAW markdown with SECRET_PATTERNS. A comment "
            "hides text from the rendered page, not from anyone who clones the repository. "
            "(AKIAIOSFODNN7EXAMPLE is AWS's documentation placeholder, but a linter cannot "
            "tell a placeholder from a key.)"
        )
    pgp = good + "\nOur key:\n\n```\n-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBF...\n```\n"
    got = _lint(exercise, pgp)
    assert got == [], (
        f"lint_security_policy(<complete policy + a PGP PUBLIC key block>) returned {got!r}, "
        "expected []: a public key is meant to be published, so reporters can encrypt their "
        "report. Only PRIVATE keys are secrets."
    )


def test_empty_policies(exercise):
    """Reports an empty policy once, and still finds a secret in it"""
    for markdown in ("", "   \n\t\n", "<!-- TODO: write this -->", "```\nplaceholder\n```"):
        got = _lint(exercise, markdown)
        assert got == ["empty"], (
            f"lint_security_policy({markdown!r}) returned {got!r}, expected ['empty']: the "
            "rendered page shows nothing. Report that once; listing every missing section "
            "as well only repeats it."
        )
    markdown = f"<!-- {AWS_KEY_ID} -->"
    got = _lint(exercise, markdown)
    assert got == ["empty", "secret-in-policy"], (
        f"lint_security_policy({markdown!r}) returned {got!r}, expected "
        "['empty', 'secret-in-policy']: nothing is visible, but the raw file holds a key. "
        "The secret check runs on the raw text even when the policy is empty."
    )


def test_returns_a_list_in_code_order_without_duplicates(exercise):
    """Returns a list in the order of CODES, each code once"""
    markdown = (
        "Open an issue.\nOpen an issue.\n"
        f"{AWS_KEY_ID}\n{AWS_KEY_ID}\n-----BEGIN RSA PRIVATE KEY-----\n"
    )
    expected = [
        "no-private-channel",
        "public-issues-only",
        "no-supported-versions",
        "no-response-time",
        "secret-in-policy",
    ]
    got = _lint(exercise, markdown)
    assert isinstance(got, list) and got == expected, (
        f"lint_security_policy({markdown!r}) returned {got!r}, expected the list {expected!r}: "
        "each problem once, in the order of CODES, whatever order and however often the "
        "problems appear. CI output that changes order between runs is hard to diff."
    )
    assert tuple(exercise.CODES) == (
        "empty", "no-private-channel", "public-issues-only", "no-supported-versions",
        "no-response-time", "secret-in-policy",
    ), f"CODES is {exercise.CODES!r}; keep the vocabulary from the starter unchanged."


def test_rejects_non_text(exercise):
    """Raises TypeError for a policy that is not a str"""
    for value in (b"# Security", None, ["# Security"]):
        try:
            got = exercise.lint_security_policy(value)
        except TypeError:
            continue
        raise AssertionError(
            f"lint_security_policy({value!r}) returned {got!r}, expected TypeError: the "
            "linter reads text. Bytes usually mean the file was opened in binary mode; "
            "failing loudly beats a CI step that quietly passes."
        )


def test_long_policies_stay_fast(exercise):
    """Lints a very long policy quickly"""
    markdown = (
        GOOD
        + "Lorem ipsum at dolor dot sit amet, open an issue? Not here. 12 345 67.\n" * 2000
        + "<!--" * 5000
    )
    started = time.perf_counter()
    got = _lint(exercise, markdown)
    elapsed = time.perf_counter() - started
    assert got == [], (
        f"lint_security_policy(<a complete policy followed by 2,000 lines of filler and 5,000 "
        f"unclosed comment openers>) returned {got!r}, expected []: the complete policy comes "
        "first, and the filler has negated issue lines only."
    )
    assert elapsed < 1.0, (
        f"lint_security_policy(<about 160,000 characters ending in 5,000 unclosed '<!--'>) "
        f"took {elapsed:.1f} s, expected well under a second (the reference solution needs "
        "about 0.15 s). Parse once, walk the tokens once, and use html_text for raw HTML: a "
        "regex such as <!--.*?--> rescans to the end from every unclosed opener. A linter in "
        "CI reads whatever is committed."
    )
