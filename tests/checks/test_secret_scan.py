"""Hidden checks for `secret_scan`: scan() (redact() is given in the starter).

AWS_ID and AWS_SECRET are the placeholder access key id and secret access key from
AWS's documentation (see ATTRIBUTION.md). Every other key here is made up: the GitHub
token has the documented shape (prefix, 36 letters and digits) but no valid checksum,
and it is assembled at run time so that the literal never appears in the repository.
Most checks build their own copy of the starter's DEFAULT_RULES, so that they test
scan() and not an edited rule list; one check runs scan(text) with the module's own
DEFAULT_RULES, to pin the key formats they must cover.
"""

from __future__ import annotations

import pytest

AWS_ID = "AKIAIOSFODNN7EXAMPLE"  # AWS docs placeholder access key id
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # AWS docs placeholder secret
OTHER_AWS_ID = "AKIAZ7VXQG3R5T2LWMBN"  # made up, same shape
TEMP_AWS_ID = "ASIAY34FZKBOKMUTVV7A"  # made up, temporary (STS) shape
BEARER_AWS_ID = "ABIAZ7VXQG3R5T2LWMBN"  # made up, STS service bearer token shape
CONTEXT_AWS_ID = "ACCAQ2WE3RT4YU5IO6PL"  # made up, context-specific credential shape
GH_TOKEN = "ghp" + "_" + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF3gH5"  # made up, 40 characters
# Made up, in the documented shape: 22 letters and digits, "_", 59 letters and digits.
GH_FINE_GRAINED = "github" + "_pat_" + "11ABCDEFG0" * 2 + "hj_" + "kLmNoPqRsT" * 5 + "uvwxyz123"
PEM_HEADER = "-----BEGIN OPENSSH PRIVATE KEY-----"

WHY_LEAK = "A preview that shows a secret turns the scanner's own report into a leak."


def _rules(exercise):
    """The same four rules as the starter's DEFAULT_RULES."""
    rule = exercise.Rule
    return [
        rule("aws-access-key-id",
             r"(?<![A-Z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Z0-9])",
             ("akia", "asia", "abia", "acca")),
        rule("github-token", r"((?:gh[pousr]|github_pat)_[A-Za-z0-9_]{36,})",
             ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")),
        rule("private-key",
             r"-{4,5} ?BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)? ?-{4,5}"
             r"|PuTTY-User-Key-File-[0-9]+:",
             ("private key", "putty-user-key-file")),
        rule("generic-secret",
             r"(?i)(?:api[_-]?key|secret|token|passw(?:or)?d)\w{0,20}[\"']?[ \t]{0,5}[:=]"
             r"[ \t]{0,5}[\"']?([A-Za-z0-9_./+=-]{16,})",
             ("apikey", "api_key", "api-key", "secret", "token", "password", "passwd")),
    ]


def _rows(matches) -> list[tuple]:
    """Findings as plain tuples: (rule_id, line, column, secret, preview)."""
    return [(m.rule_id, m.line, m.column, m.secret, m.preview) for m in matches]


def _describe(rules) -> str:
    """How a rule list is shown in messages: the one custom rule, or DEFAULT_RULES."""
    if len(rules) > 1:
        return "DEFAULT_RULES"
    rule = rules[0]
    return f"[Rule({rule.id!r}, {rule.regex!r}, {rule.keywords!r})]"


def _show(text: str, limit: int = 160) -> str:
    shown = repr(text)
    return shown if len(shown) <= limit else shown[:limit] + "...'"


def test_finds_each_builtin_rule(exercise):
    """scan() reports the rule, line, column, secret and redacted preview"""
    rules = _rules(exercise)
    cases = [
        (f'aws_key = "{AWS_ID}"',
         [("aws-access-key-id", 1, 12, AWS_ID, 'aws_key = "AKIA****"')]),
        (f"AWS_ACCESS_KEY_ID={TEMP_AWS_ID}",
         [("aws-access-key-id", 1, 19, TEMP_AWS_ID, "AWS_ACCESS_KEY_ID=ASIA****")]),
        (f"export GITHUB_PAT={GH_TOKEN}",
         [("github-token", 1, 19, GH_TOKEN, "export GITHUB_PAT=ghp_****")]),
        (PEM_HEADER, [("private-key", 1, 1, PEM_HEADER, "----****")]),
        ('OPENAI_API_KEY: "sk-proj-abcdefghijklmnop1234"',
         [("generic-secret", 1, 18, "sk-proj-abcdefghijklmnop1234",
           'OPENAI_API_KEY: "sk-p****"')]),
    ]
    for text, expected in cases:
        got = _rows(exercise.scan(text, rules))
        assert got == expected, (
            f"scan({text!r}, DEFAULT_RULES) gave {got!r}, expected {expected!r} (as "
            "(rule_id, line, column, secret, preview)): the secret is capture group 1, or "
            "the whole match when the regex has no group; the column is 1-based; keywords "
            "are compared in lower case ('akia' must find 'AKIA', '-----begin' must find "
            "'-----BEGIN'). A scanner that misses these lets real keys through."
        )
    got = _rows(exercise.scan(f'aws_key = "{AWS_ID}"'))
    assert got == [("aws-access-key-id", 1, 12, AWS_ID, 'aws_key = "AKIA****"')], (
        f"scan({'aws_key = ' + repr(AWS_ID)!r}) without a rules argument gave {got!r}: "
        "rules defaults to DEFAULT_RULES, so calling scan(text) must use them."
    )


def test_default_rules_cover_current_key_formats(exercise):
    """scan(text) with DEFAULT_RULES finds every AWS key id prefix and private key format"""
    cases = [
        (f"AWS_ACCESS_KEY_ID={BEARER_AWS_ID}", "aws-access-key-id", BEARER_AWS_ID,
         "an STS service bearer token's key id, prefix ABIA"),
        (f"id: {CONTEXT_AWS_ID}", "aws-access-key-id", CONTEXT_AWS_ID,
         "a context-specific credential's key id, prefix ACCA"),
        (f"aws_key_{OTHER_AWS_ID}", "aws-access-key-id", OTHER_AWS_ID,
         "a key id right after '_' (a word character, so \\b would miss it)"),
        (f'{{"keys": "staging\\n{OTHER_AWS_ID}"}}', "aws-access-key-id", OTHER_AWS_ID,
         "a key id right after an escaped '\\n' in a JSON string"),
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----", "private-key",
         "-----BEGIN PGP PRIVATE KEY BLOCK-----", "a PGP private key block"),
        ("---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----", "private-key",
         "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----", "an SSH.com private key"),
        ("PuTTY-User-Key-File-3: ssh-ed25519", "private-key", "PuTTY-User-Key-File-3:",
         "a PuTTY private key file (.ppk)"),
        (f"GH={GH_FINE_GRAINED}", "github-token", GH_FINE_GRAINED,
         "a fine-grained GitHub token, prefix github_pat_"),
    ]
    for text, rule_id, secret, what in cases:
        got = [row[:4] for row in _rows(exercise.scan(text))]
        column = text.index(secret) + 1
        expected = [(rule_id, 1, column, secret)]
        assert got == expected, (
            f"scan({_show(text)}) with the default rules gave {got!r}, expected "
            f"{expected!r} (as (rule_id, line, column, secret)): the line holds {what}. "
            "scan(text) must use the module's DEFAULT_RULES as given in the starter (AWS's "
            "four key id prefixes, PGP, SSH.com and PuTTY key files, GitHub's token "
            "prefixes). A scanner that knows only AKIA and PEM headers misses the rest."
        )


def test_line_and_column_numbers(exercise):
    """Numbers lines from 1 and columns from 1, in characters"""
    text = (
        "# settings\n"
        "\n"
        f"\tkey = {AWS_ID}\n"
        f"ключ = {OTHER_AWS_ID}\n"
        f"🔑 {GH_TOKEN}"
    )
    expected = [
        ("aws-access-key-id", 3, 8, AWS_ID, "\tkey = AKIA****"),
        ("aws-access-key-id", 4, 8, OTHER_AWS_ID, "ключ = AKIA****"),
        ("github-token", 5, 3, GH_TOKEN, "🔑 ghp_****"),
    ]
    got = _rows(exercise.scan(text, _rules(exercise)))
    assert got == expected, (
        f"scan({_show(text)}) gave {got!r}, expected {expected!r}: line 1 is the first "
        "line (empty lines count), and the column is 1 + the index of the secret's first "
        "character in its line; a tab, a Cyrillic letter and an emoji are one character "
        "each. Whoever fixes the leak opens the file at that line and column."
    )


def test_windows_line_endings(exercise):
    """Treats "\\r\\n" as a line break: same lines, columns and previews as "\\n\""""
    rules = _rules(exercise)
    unix = f"first line\naws_key = {AWS_ID}\ntoken: {AWS_SECRET}\n"
    windows = unix.replace("\n", "\r\n")
    expected = _rows(exercise.scan(unix, rules))
    got = _rows(exercise.scan(windows, rules))
    assert got == expected and len(got) == 2, (
        f"scan({_show(windows)}) gave {got!r}, expected {expected!r} (the same as with "
        "'\\n' alone, two findings): a '\\r' before '\\n' belongs to the line break, so "
        "remove one '\\r' from the end of each line. Otherwise every preview ends in "
        "'\\r', and rules anchored at the end of the line stop matching."
    )
    eol_rule = [exercise.Rule("pw-at-eol", r"password=(\S{8,})$", ("password",))]
    got = _rows(exercise.scan("user=ann\r\npassword=hunter2hunter2\r\n", eol_rule))
    expected = [("pw-at-eol", 2, 10, "hunter2hunter2", "password=hun****")]
    assert got == expected, (
        f"scan('user=ann\\r\\npassword=hunter2hunter2\\r\\n', [Rule('pw-at-eol', "
        f"r'password=(\\S{{8,}})$', ...)]) gave {got!r}, expected {expected!r}: with the "
        "'\\r' left on the line, '$' cannot match after the password, so a file saved on "
        "Windows hides its secrets from this rule."
    )


def test_only_newline_ends_a_line(exercise):
    """Counts lines like an editor and git: only "\\n" ends a line"""
    text = f"a\x0cb\u2028c\x85d\x1ce\n  {AWS_ID}"
    got = _rows(exercise.scan(text, _rules(exercise)))
    expected = [("aws-access-key-id", 2, 3, AWS_ID, "  AKIA****")]
    assert got == expected, (
        f"scan({text!r}) gave {got!r}, expected {expected!r}: the first line contains a "
        "form feed, U+2028, U+0085 and U+001C, but only '\\n' ends a line. "
        "str.splitlines() splits at all of those, so the key would be reported on line "
        "6 while editors, git blame and gitleaks all say line 2. Use text.split('\\n')."
    )


def test_keyword_prefilter(exercise):
    """Runs a rule's regex only on lines that contain one of its keywords"""
    rule = exercise.Rule
    kw_rule = [rule("demo", r"secret-([a-z0-9]{8})", ("token",))]
    upper_kw = [rule("demo", r"secret-([a-z0-9]{8})", ("TOKEN",))]
    no_kw = [rule("demo", r"secret-([a-z0-9]{8})")]
    hit_1 = [("demo", 1, 14, "abcd1234", "TOKEN secret-ab****")]
    cases = [
        ("secret-abcd1234", kw_rule, [], "the regex matches but no keyword is on the line"),
        ("TOKEN secret-abcd1234", kw_rule, hit_1,
         "keyword 'token' is on the line as 'TOKEN' (compare in lower case)"),
        ("TOKEN secret-abcd1234", upper_kw, hit_1,
         "keyword 'TOKEN' is on the line as 'TOKEN'"),
        ("token secret-abcd1234", upper_kw,
         [("demo", 1, 14, "abcd1234", "token secret-ab****")],
         "keyword 'TOKEN' is on the line as 'token'"),
        ("token\nsecret-abcd1234", kw_rule, [],
         "the keyword is on line 1, the match on line 2: keywords count per line"),
        ("secret-abcd1234", no_kw, [("demo", 1, 8, "abcd1234", "secret-ab****")],
         "a rule without keywords always runs"),
        ("max_tokens = 256, password: short", _rules(exercise), [],
         "keywords 'token' and 'password' are present, but no regex matches"),
    ]
    for text, rules, expected, why in cases:
        got = _rows(exercise.scan(text, rules))
        assert got == expected, (
            f"scan({text!r}, {_describe(rules)}) gave {got!r}, expected {expected!r}: "
            f"{why}. The keywords are a required, case-insensitive prefilter: with "
            "keywords, a rule runs only on lines that contain at least one of them. That "
            "is how gitleaks keeps hundreds of rules fast on big repositories."
        )


def test_secret_is_capture_group_one(exercise):
    """Takes group 1 as the secret, the whole match without groups, and skips empty ones"""
    rule = exercise.Rule
    cases = [
        ("key=abc123xyz", [rule("g1", r"key=(\w+)")],
         [("g1", 1, 5, "abc123xyz", "key=ab****")], "group 1 is the secret"),
        ("pay key_0123456789", [rule("whole", r"key_[0-9]{10}")],
         [("whole", 1, 5, "key_0123456789", "pay key****")],
         "no group: the whole match is the secret"),
        ("Authorization: BEARER only", [rule("alt", r"token=(\w+)|BEARER")], [],
         "group 1 did not take part in the match (match.group(1) is None)"),
        ("pass= and more", [rule("empty", r"pass=(\w*)")], [], "group 1 is empty"),
    ]
    for text, rules, expected, why in cases:
        got = _rows(exercise.scan(text, rules))
        assert got == expected, (
            f"scan({text!r}, [Rule({rules[0].id!r}, {rules[0].regex!r})]) gave {got!r}, "
            f"expected {expected!r}: {why}. Reporting the whole `api_key = \"...\"` match "
            "makes allowlists and previews work on the wrong text; a None or empty "
            "secret is no finding at all (and must not crash the scan)."
        )


def test_one_finding_per_rule(exercise):
    """Two rules on the same secret give two findings; one rule never repeats itself"""
    rules = _rules(exercise)
    text = f'aws_secret = "{AWS_ID}"'
    preview = 'aws_secret = "AKIA****"'
    expected = [
        ("aws-access-key-id", 1, 15, AWS_ID, preview),
        ("generic-secret", 1, 15, AWS_ID, preview),
    ]
    got = _rows(exercise.scan(text, rules))
    assert got == expected, (
        f"scan({text!r}, DEFAULT_RULES) gave {got!r}, expected {expected!r}: both the AWS "
        "rule and the generic rule match the same key, and each reports it once, with "
        "one preview that shows the key redacted once (identical spans merge). Equal "
        "columns follow the order of the rules. Knowing which rules fired helps triage."
    )
    got = _rows(exercise.scan(text, rules[::-1]))
    assert got == expected[::-1], (
        f"scan({text!r}, <DEFAULT_RULES reversed>) gave {got!r}, expected "
        f"{expected[::-1]!r}: at the same column, findings follow the order of `rules`."
    )
    text = f"secret_token = '{AWS_SECRET}'"
    got = _rows(exercise.scan(text, rules))
    expected = [("generic-secret", 1, 17, AWS_SECRET, "secret_token = 'wJal****'")]
    assert got == expected, (
        f"scan({text!r}, DEFAULT_RULES) gave {got!r}, expected {expected!r}: the line "
        "contains two of the generic rule's keywords ('secret' and 'token'), but the rule "
        "runs once per line. Running it once per keyword found reports duplicates."
    )


def test_busy_line_previews_and_order(exercise):
    """Each preview hides all the secrets on its line; findings follow the columns"""
    rules = _rules(exercise)
    text = f"AWS={AWS_ID} GH={GH_TOKEN}"
    preview = "AWS=AKIA**** GH=ghp_****"
    expected = [
        ("aws-access-key-id", 1, 5, AWS_ID, preview),
        ("github-token", 1, 29, GH_TOKEN, preview),
    ]
    got = _rows(exercise.scan(text, rules))
    assert got == expected, (
        f"scan({text!r}) gave {got!r}, expected {expected!r}: both findings share one "
        "preview in which every secret on the line is redacted. If the AWS finding's "
        "preview only hides the AWS key, it shows the GitHub token in full. " + WHY_LEAK
    )
    text = f"{GH_TOKEN} {GH_TOKEN}"
    preview = "ghp_**** ghp_****"
    expected = [("github-token", 1, 1, GH_TOKEN, preview),
                ("github-token", 1, 42, GH_TOKEN, preview)]
    got = _rows(exercise.scan(text, rules))
    assert got == expected, (
        f"scan(<the same token twice on one line>) gave {got!r}, expected {expected!r}: "
        "two findings (columns 1 and 42), and both copies hidden in the preview. "
        + WHY_LEAK
    )

    text = f"gh={GH_TOKEN} aws={AWS_ID}"
    preview = "gh=ghp_**** aws=AKIA****"
    expected = [("github-token", 1, 4, GH_TOKEN, preview),
                ("aws-access-key-id", 1, 49, AWS_ID, preview)]
    got = _rows(exercise.scan(text, rules))
    assert got == expected, (
        f"scan({text!r}, DEFAULT_RULES) gave {got!r}, expected {expected!r}: findings on a "
        "line are ordered by column, whatever the order of the rules that found them "
        "(sort the line's findings by column; a stable sort keeps the rule order for "
        "ties). People read a report top to bottom, left to right."
    )


def test_allowlist_regexes_match_the_secret(exercise):
    """Allowlist regexes are searched in the secret, not in the line"""
    rules = _rules(exercise)
    allow = exercise.Allowlist
    text = f"keys: {AWS_ID} {OTHER_AWS_ID}"
    other = ("aws-access-key-id", 1, 28, OTHER_AWS_ID)
    cases = [
        (allow(regexes=("EXAMPLE$",)), [other],
         "'EXAMPLE$' finds the end of the documentation key only"),
        (allow(regexes=("EXAMPLE",)), [other],
         "an unanchored pattern is searched anywhere in the secret (re.search)"),
        (allow(regexes=("IOSFODNN",)), [other], "re.search, not re.match: a middle part"),
        (allow(regexes=("^keys",)), [("aws-access-key-id", 1, 7, AWS_ID), other],
         "'^keys' matches the line, but neither secret"),
    ]
    for allowlist, expected, why in cases:
        # Previews are checked elsewhere: compare (rule_id, line, column, secret) here.
        got = [row[:4] for row in _rows(exercise.scan(text, rules, allowlist))]
        assert got == expected, (
            f"scan({text!r}, DEFAULT_RULES, {allowlist!r}) gave {got!r}, expected "
            f"{expected!r} (as (rule_id, line, column, secret)): {why}. An allowlist regex "
            "decides about one secret: testing it against the whole line would let any "
            "line that mentions 'EXAMPLE' (or the variable's name) hide a real key next "
            "to it."
        )


def test_allowlist_values_are_exact(exercise):
    """Allowlist values must equal the whole secret"""
    rules = _rules(exercise)
    allow = exercise.Allowlist
    text = f"aws_key = {AWS_ID}"
    found = [("aws-access-key-id", 1, 11, AWS_ID, "aws_key = AKIA****")]
    cases = [
        (allow(values=(AWS_ID,)), [], "the value equals the secret"),
        (allow(values=("EXAMPLE",)), found, "'EXAMPLE' is only part of the secret"),
        (allow(values=(AWS_ID.lower(),)), found, "values are compared case-sensitively"),
        (allow(values=(AWS_ID + " ",)), found, "a trailing space makes a different value"),
    ]
    for allowlist, expected, why in cases:
        got = _rows(exercise.scan(text, rules, allowlist))
        assert got == expected, (
            f"scan({text!r}, DEFAULT_RULES, {allowlist!r}) gave {got!r}, expected "
            f"{expected!r}: {why}. A value allows exactly that string; a substring test "
            "would let one short value silence every key that contains it."
        )


def test_allow_comment_silences_its_own_line(exercise):
    """An `# aisec:allow` or `// aisec:allow` comment skips only its own line"""
    rules = _rules(exercise)
    for text in (
        f"aws_key = '{AWS_ID}'  # aisec:allow (AWS docs example)",
        f"const k = '{AWS_ID}'; // aisec:allow",
        f"aws_key = '{AWS_ID}'  #aisec:allow",
    ):
        got = _rows(exercise.scan(text, rules))
        assert got == [], (
            f"scan({text!r}) gave {got!r}, expected []: the line has an allow comment "
            "(ALLOW_COMMENT_RE.search(line)), so it is skipped. Reviewed false positives "
            "must stay quiet or people stop running the scanner."
        )
    cases = [
        (f"note = 'aisec:allow'\naws_key = '{AWS_ID}'",
         [("aws-access-key-id", 2, 12, AWS_ID, "aws_key = 'AKIA****'")],
         "'aisec:allow' without '#' or '//' before it is no comment"),
        (f"x = 1  # aisec:allow\naws_key = '{AWS_ID}'",
         [("aws-access-key-id", 2, 12, AWS_ID, "aws_key = 'AKIA****'")],
         "the comment on line 1 does not cover line 2"),
        (f"aws_key = '{AWS_ID}'\r\n# aisec:allow\r\n",
         [("aws-access-key-id", 1, 12, AWS_ID, "aws_key = 'AKIA****'")],
         "the comment is on the line after the key"),
    ]
    for text, expected, why in cases:
        got = _rows(exercise.scan(text, rules))
        assert got == expected, (
            f"scan({text!r}) gave {got!r}, expected {expected!r}: {why}. Test each line on "
            "its own: a marker anywhere in the text must not silence the whole file, or "
            "one comment hides every key after it."
        )


def test_secrets_split_across_lines_are_missed(exercise):
    """Never matches across lines (a documented blind spot of this scanner)"""
    multi = [exercise.Rule("multi", r"key\s*=\s*'(\w{8,})'", ("key",))]
    cases = [
        ("key =\n'abcdefgh1234'", multi, "the rule's \\s* would cross the line break"),
        (f"gh = ('{GH_TOKEN[:20]}'\n      '{GH_TOKEN[20:]}')", _rules(exercise),
         "the token is glued together from two halves on two lines"),
    ]
    for text, rules, why in cases:
        got = _rows(exercise.scan(text, rules))
        assert got == [], (
            f"scan({text!r}) gave {got!r}, expected []: {why}. This scanner works line by "
            "line, so no match spans two lines. That is a real blind spot (gitleaks scans "
            "whole files and can match across lines), and the checks pin it down so that "
            "line and column numbers always point at one line. Running a regex over the "
            "whole text would make matches depend on what surrounds a line."
        )


def test_empty_and_clean_text(exercise):
    """Returns [] for empty text and text without secrets"""
    for text in ("", "\n", "\r\n\r\n", "hello world", "max_tokens = 4096\ntemperature: 0.2"):
        got = _rows(exercise.scan(text, _rules(exercise)))
        assert got == [], (
            f"scan({text!r}) gave {got!r}, expected []: there is nothing secret in it. "
            "Most text a scanner sees is clean, and every false alarm costs trust."
        )


def test_rejects_non_text(exercise):
    """scan() raises TypeError for anything that is not a str"""
    for value in (f"aws_key = {AWS_ID}".encode(), None, [f"aws_key = {AWS_ID}"]):
        with pytest.raises(TypeError):
            got = exercise.scan(value, _rules(exercise))
            pytest.fail(
                f"scan({value!r}) returned {got!r}, expected TypeError: decode bytes before "
                "scanning them. Quietly returning [] for input you cannot read reports "
                "'no secrets' for a file full of them.",
                pytrace=False,
            )


def test_long_input(exercise):
    """Handles long inputs: 20,000 lines, and a long line full of keywords"""
    rules = _rules(exercise)
    text = "INFO request handled in 12 ms\n" * 20_000 + f"aws_key = {AWS_ID}\n"
    got = _rows(exercise.scan(text, rules))
    expected = [("aws-access-key-id", 20_001, 11, AWS_ID, "aws_key = AKIA****")]
    assert got == expected, (
        f"scan(<20,000 log lines, then the key>) gave {got!r:.300}, expected {expected!r}: "
        "only the last line holds a key, on line 20,001. Scanners run over whole "
        "repositories and log archives."
    )
    text = "token " * 10_000 + "password" * 5_000 + f" {AWS_ID}"
    got = _rows(exercise.scan(text, rules))
    assert [row[:4] for row in got] == [("aws-access-key-id", 1, 100_002, AWS_ID)], (
        f"scan(<one 100,000-character line of 'token ' and 'password', then the key>) gave "
        f"{[row[:4] for row in got]!r}, expected [('aws-access-key-id', 1, 100002, "
        f"{AWS_ID!r})]: the keywords are everywhere but the generic regex never matches; "
        "only the AWS key is a finding."
    )
