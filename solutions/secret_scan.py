r"""Reference solution for `secret_scan`: a line-based, gitleaks-style secret scanner.

The pipeline per line: allow comment? -> per rule: keywords? -> regex -> secret group
-> allowlist -> redacted preview. The cheap tests come first, so a big input with no
keywords in it costs little more than lower-casing each line. `redact` and the rules
are given in the starter; `scan` (and `_is_allowed`) are the exercise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """A detection rule: a regex whose group 1 is the secret, and prefilter keywords."""

    id: str
    regex: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Allowlist:
    """Secrets to ignore: those matching a regex (re.search), or equal to a value."""

    regexes: tuple[str, ...] = ()
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """One finding. `line` and `column` count from 1; `preview` is the redacted line."""

    rule_id: str
    line: int
    column: int
    secret: str
    preview: str


VISIBLE = 4  # show at most this many characters of a secret
MASK = "****"  # what replaces the rest (always four stars: the length stays hidden)
ALLOW_COMMENT_RE = re.compile(r"(?:#|//)[ \t]*aisec:allow\b")

DEFAULT_RULES: tuple[Rule, ...] = (
    # AWS access key ids (AWS IAM docs, "unique ID prefixes"): AKIA long-term, ASIA
    # temporary (STS), ABIA STS service bearer token, ACCA context-specific credential;
    # then 16 capital letters or digits. Not \b: "_" and lower-case letters are word
    # characters, so \b would miss "key_AKIA..." and an escaped "\nAKIA..." in JSON.
    Rule(
        "aws-access-key-id",
        r"(?<![A-Z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})(?![A-Z0-9])",
        ("akia", "asia", "abia", "acca"),
    ),
    # GitHub tokens: ghp_ personal (classic), gho_ OAuth, ghu_ user-to-server, ghs_
    # server-to-server, ghr_ refresh (all since 2021), github_pat_ fine-grained personal;
    # then (for now) 36 or more letters, digits and "_".
    Rule(
        "github-token",
        r"((?:gh[pousr]|github_pat)_[A-Za-z0-9_]{36,})",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    ),
    # Private key files: PEM and OpenSSH ("-----BEGIN RSA PRIVATE KEY-----"), PGP
    # ("-----BEGIN PGP PRIVATE KEY BLOCK-----"), SSH.com ("---- BEGIN SSH2 ENCRYPTED
    # PRIVATE KEY ----") and PuTTY ("PuTTY-User-Key-File-3: ..."). No group: the whole
    # match is the "secret".
    Rule(
        "private-key",
        r"-{4,5} ?BEGIN[ A-Z0-9]{0,30}PRIVATE KEY(?: BLOCK)? ?-{4,5}"
        r"|PuTTY-User-Key-File-[0-9]+:",
        ("private key", "putty-user-key-file"),
    ),
    # A generic assignment: a secret-sounding name, ":" or "=", 16+ token characters.
    # The bounded {0,20} and {0,5} matter: with \w* and \s* instead, one line of
    # "password" repeated 4,000 times (32,000 characters) took 9 seconds to scan in
    # our test, and doubling the line quadruples the time. A scanner's own regexes
    # must not be a denial-of-service hole.
    Rule(
        "generic-secret",
        r"(?i)(?:api[_-]?key|secret|token|passw(?:or)?d)\w{0,20}[\"']?[ \t]{0,5}[:=]"
        r"[ \t]{0,5}[\"']?([A-Za-z0-9_./+=-]{16,})",
        ("apikey", "api_key", "api-key", "secret", "token", "password", "passwd"),
    ),
)


def redact(line: str, spans: Iterable[tuple[int, int]]) -> str:
    """`line` with every span replaced by its first few characters and MASK (given)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:  # overlaps the previous span: extend it
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    position = 0
    for start, end in merged:
        secret = line[start:end]
        shown = min(VISIBLE, len(secret) // 4)  # a short secret shows less, or nothing
        parts += [line[position:start], secret[:shown], MASK]
        position = end
    parts.append(line[position:])
    return "".join(parts)


def _is_allowed(secret: str, allowlist: Allowlist | None) -> bool:
    if allowlist is None:
        return False
    # Exact values: a substring test would let "EXAMPLE" allow every key ending in it.
    if secret in allowlist.values:
        return True
    return any(re.search(pattern, secret) for pattern in allowlist.regexes)


def scan(
    text: str,
    rules: Sequence[Rule] = DEFAULT_RULES,
    allowlist: Allowlist | None = None,
) -> list[Match]:
    """Every secret the rules find in `text`, line by line, with redacted previews."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    # Compile each regex and lower-case each keyword once, not once per line.
    prepared = [
        (rule.id, re.compile(rule.regex), tuple(k.lower() for k in rule.keywords))
        for rule in rules
    ]
    found: list[Match] = []
    # split("\n") rather than splitlines(): only "\n" ends a line for editors and git.
    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.removesuffix("\r")  # a "\r" before "\n" is part of the line break
        if ALLOW_COMMENT_RE.search(line):
            continue
        lowered = line.lower()
        hits: list[tuple[int, int, str, str]] = []  # (start, end, rule id, secret)
        for rule_id, pattern, words in prepared:
            # The prefilter: a substring test is far cheaper than a regex, and most
            # lines contain none of a rule's keywords.
            if words and not any(word in lowered for word in words):
                continue
            group = 1 if pattern.groups else 0
            for match in pattern.finditer(line):
                secret = match.group(group)
                if not secret or _is_allowed(secret, allowlist):
                    continue  # group 1 did not take part (None) or is empty; or allowed
                start, end = match.span(group)
                hits.append((start, end, rule_id, secret))
        if not hits:
            continue
        # One preview per line, hiding every secret on it.
        preview = redact(line, [(start, end) for start, end, _, _ in hits])
        # sort() is stable: equal columns keep the order of the rules.
        hits.sort(key=lambda hit: hit[0])
        found += [Match(rule_id, number, start + 1, secret, preview)
                  for start, _, rule_id, secret in hits]
    return found
