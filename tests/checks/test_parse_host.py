"""Hidden checks for `parse_host` and `is_loopback`.

Every expected URL below is what the official client's own function returns:
`ollama._client._parse_host` in ollama-python 0.6.3 (MIT licence), run on Python 3.11.
CLIENT_EXAMPLES are the examples in that function's docstring; the other tables were
computed with the same function and pasted here, so the checks do not import the
client. Inputs whose result depends on the Python version are left out.
"""

from __future__ import annotations

import time

import pytest

DEFAULT = "http://127.0.0.1:11434"

# The doctest examples of ollama._client._parse_host (ollama-python 0.6.3).
CLIENT_EXAMPLES = [
    (None, "http://127.0.0.1:11434"),
    ("", "http://127.0.0.1:11434"),
    ("1.2.3.4", "http://1.2.3.4:11434"),
    (":56789", "http://127.0.0.1:56789"),
    ("1.2.3.4:56789", "http://1.2.3.4:56789"),
    ("http://1.2.3.4", "http://1.2.3.4:80"),
    ("https://1.2.3.4", "https://1.2.3.4:443"),
    ("https://1.2.3.4:56789", "https://1.2.3.4:56789"),
    ("example.com", "http://example.com:11434"),
    ("example.com:56789", "http://example.com:56789"),
    ("http://example.com", "http://example.com:80"),
    ("https://example.com", "https://example.com:443"),
    ("https://example.com:56789", "https://example.com:56789"),
    ("example.com/", "http://example.com:11434"),
    ("example.com:56789/", "http://example.com:56789"),
    ("example.com/path", "http://example.com:11434/path"),
    ("example.com:56789/path", "http://example.com:56789/path"),
    ("https://example.com:56789/path", "https://example.com:56789/path"),
    ("example.com:56789/path/", "http://example.com:56789/path"),
    ("[0001:002:003:0004::1]", "http://[0001:002:003:0004::1]:11434"),
    ("[0001:002:003:0004::1]:56789", "http://[0001:002:003:0004::1]:56789"),
    ("http://[0001:002:003:0004::1]", "http://[0001:002:003:0004::1]:80"),
    ("https://[0001:002:003:0004::1]", "https://[0001:002:003:0004::1]:443"),
    ("https://[0001:002:003:0004::1]:56789", "https://[0001:002:003:0004::1]:56789"),
    ("[0001:002:003:0004::1]/", "http://[0001:002:003:0004::1]:11434"),
    ("[0001:002:003:0004::1]:56789/", "http://[0001:002:003:0004::1]:56789"),
    ("[0001:002:003:0004::1]/path", "http://[0001:002:003:0004::1]:11434/path"),
    ("[0001:002:003:0004::1]:56789/path", "http://[0001:002:003:0004::1]:56789/path"),
    ("https://[0001:002:003:0004::1]:56789/path", "https://[0001:002:003:0004::1]:56789/path"),
    ("[0001:002:003:0004::1]:56789/path/", "http://[0001:002:003:0004::1]:56789/path"),
]

# Computed with ollama._client._parse_host (0.6.3): (input, output, what it shows).
CLIENT_QUIRKS = [
    (":8080", "http://127.0.0.1:8080", "no host means 127.0.0.1"),
    ("LOCALHOST", "http://localhost:11434", "urlsplit lowercases the host name"),
    ("0.0.0.0", "http://0.0.0.0:11434", "the client connects to 0.0.0.0 literally"),
    ("[::]", "http://[::]:11434", "the IPv6 'every interface' address keeps its brackets"),
    ("http://localhost", "http://localhost:80", "http:// without a port means 80, not 11434"),
    ("https://localhost", "https://localhost:443", "https:// without a port means 443"),
    ("HTTP://localhost", "HTTP://localhost:11434",
     "the scheme is compared case-sensitively, so HTTP:// keeps 11434"),
    ("HTTPS://Example.COM", "HTTPS://example.com:11434",
     "HTTPS:// keeps 11434 and the scheme's case, while the host is lowercased"),
    ("example.com:0", "http://example.com:11434", "port 0 counts as no port"),
    ("ftp://files.example", "ftp://files.example:11434",
     "an unknown scheme is kept, with the default port 11434"),
    ("https://ollama.com", "https://ollama.com:443", "the cloud API's address"),
    ("LOCALHOST.", "http://localhost.:11434",
     "the host is lowercased but its trailing dot is kept: it is a different string"),
]

CLIENT_PATHS_AND_USERINFO = [
    ("http://example.com:8080/", "http://example.com:8080", "a trailing slash is dropped"),
    ("example.com/a/b/", "http://example.com:11434/a/b", "inner slashes stay, outer ones go"),
    ("example.com:8080/path?q=1#frag", "http://example.com:8080/path",
     "the query and fragment are dropped"),
    ("http://localhost:11434/?x=1", "http://localhost:11434", "an empty path is no path"),
    ("http://127.0.0.1@evil.example", "http://evil.example:80",
     "'127.0.0.1@' is user info: the host is evil.example"),
    ("user:secret@ollama.example", "http://ollama.example:11434",
     "user info is dropped from the base URL; the host is ollama.example"),
    ("http://evil.example#@127.0.0.1", "http://evil.example:80",
     "everything after '#' is a fragment: the host is evil.example"),
    ("http://evil.example?@127.0.0.1", "http://evil.example:80",
     "everything after '?' is a query: the host is evil.example"),
]

CLIENT_IPV6 = [
    ("[::1]", "http://[::1]:11434"),
    ("[::1]:8080", "http://[::1]:8080"),
    ("http://[::1]", "http://[::1]:80"),
    ("https://[::1]:8443/x", "https://[::1]:8443/x"),
    ("[::ffff:127.0.0.1]", "http://[::ffff:127.0.0.1]:11434"),
    ("[0:0:0:0:0:0:0:1]", "http://[0:0:0:0:0:0:0:1]:11434"),
    ("[::]:11434", "http://[::]:11434"),
]

# The client raises ValueError for these (Python's urlsplit does, and it lets it through).
CLIENT_REJECTS = [
    ("host:abc", "the port is not a number"),
    ("host:99999", "the port is above 65535"),
    ("localhost:65536", "the port is above 65535"),
    ("1.2.3.4:0x50", "the port is written in hex"),
    ("[::1", "the IPv6 bracket is not closed"),
    ("::1", "a bare IPv6 address without brackets looks like host ':' and port ':1'"),
]

LOOPBACK = [
    "127.0.0.1", "127.0.0.1:11434", "http://127.0.0.1:11434", "127.255.255.254:8080",
    "127.0.0.2", "localhost", "LOCALHOST:11434", "http://localhost:11434/ollama",
    "https://localhost", "[::1]", "[::1]:8080", "http://[::1]:11434", "[0:0:0:0:0:0:0:1]",
    "[::ffff:127.0.0.1]:11434", ":8080", "",
]

BIND_ADDRESSES = ["0.0.0.0", "0.0.0.0:11434", "http://0.0.0.0:11434", "[::]", "[::]:11434",
                  "[0:0:0:0:0:0:0:0]"]

NOT_LOOPBACK = [
    ("192.168.1.20", "a private LAN address: another machine"),
    ("10.0.0.5:11434", "a private LAN address: another machine"),
    ("[fd00::1]", "an IPv6 unique-local address: another machine"),
    ("[::ffff:10.0.0.1]", "the IPv4-mapped form of 10.0.0.1, which is another machine"),
    ("example.com", "a name; only DNS knows where it goes"),
    ("https://ollama.com", "ollama.com's cloud API, off this machine"),
    ("127.0.0.1.nip.io", "a name that starts with 127.0.0.1; DNS decides, and can change"),
    ("localhost.evil.example", "a name that starts with localhost, under someone else's domain"),
    ("evil.example/127.0.0.1", "127.0.0.1 is only the path; the host is evil.example"),
    ("localhost.", "the trailing-dot spelling: a different string, so it fails closed"),
    ("http://LOCALHOST.:11434", "the trailing-dot spelling, upper case: still not exactly "
                                "localhost"),
    ("127.0.0.1.", "an address with a trailing dot is not an IP literal: ipaddress rejects "
                   "it, only a resolver would accept it"),
    ("localhost.localdomain", "a name many systems map to 127.0.0.1 in /etc/hosts; only a "
                              "lookup could tell, so it fails closed"),
    ("lоcalhost", "'lоcalhost' with a Cyrillic о: a homoglyph, not localhost"),
    ("ｌｏｃａｌｈｏｓｔ", "fullwidth letters; IDNA would map them to localhost, we do not"),
    ("１２７.０.０.１", "fullwidth digits are not an IP address to ipaddress"),
    ("127.1", "a short form the C library expands to 127.0.0.1; not canonical, so it fails "
              "closed"),
    ("2130706433", "127.0.0.1 written as one decimal number; not canonical"),
    ("0x7f000001", "127.0.0.1 written in hex; not canonical"),
    ("http://127.0.0.1@evil.example", "user info: the client connects to evil.example"),
    ("http://localhost@evil.example", "user info: the client connects to evil.example"),
    ("http://evil.example#@127.0.0.1", "a fragment: the client connects to evil.example"),
]


def _parse(exercise, value):
    return exercise.parse_host(value)


@pytest.mark.parametrize(("value", "expected"), CLIENT_EXAMPLES)
def test_matches_the_clients_own_examples(exercise, value, expected):
    """Gives the same URL as the client for the examples in the client's docstring"""
    got = _parse(exercise, value)
    assert got == expected, (
        f"parse_host({value!r}) returned {got!r}, expected {expected!r}, which is what "
        "ollama._client._parse_host returns (it is one of the examples in its docstring). "
        "Any difference means your check approves a different URL from the one the client "
        "will actually use."
    )


def test_defaults_ports_and_quirks(exercise):
    """Reproduces the client's default ports and quirks exactly"""
    for value, expected, what in CLIENT_QUIRKS:
        got = _parse(exercise, value)
        assert got == expected, (
            f"parse_host({value!r}) returned {got!r}, expected {expected!r}: {what}. That is "
            "what the official client does; mirror it, even where it surprises you, so that "
            "the URL you judge is the URL it connects to."
        )


def test_paths_queries_and_user_info(exercise):
    """Finds the real host behind paths, queries, fragments and user info"""
    for value, expected, what in CLIENT_PATHS_AND_USERINFO:
        got = _parse(exercise, value)
        assert got == expected, (
            f"parse_host({value!r}) returned {got!r}, expected {expected!r}: {what}. Parse with "
            "urllib.parse.urlsplit like the client; slicing the string yourself gets these wrong."
        )


def test_ipv6_keeps_brackets(exercise):
    """Puts IPv6 addresses back in brackets, as the client does"""
    for value, expected in CLIENT_IPV6:
        got = _parse(exercise, value)
        assert got == expected, (
            f"parse_host({value!r}) returned {got!r}, expected {expected!r}: urlsplit's "
            "hostname drops the brackets, and the client adds them back when "
            "ipaddress.ip_address(hostname) is an IPv6Address. Without them the port would be "
            "read as part of the address."
        )


def test_bad_ports_raise_valueerror(exercise):
    """Raises ValueError where the client does (bad ports, broken IPv6)"""
    for value, what in CLIENT_REJECTS:
        try:
            got = _parse(exercise, value)
        except ValueError:
            continue
        raise AssertionError(
            f"parse_host({value!r}) returned {got!r}, expected ValueError: {what}, and the client "
            "raises ValueError for it. Returning a URL would approve an address the client "
            "cannot use."
        )


def test_loopback_accepts_this_machine(exercise):
    """Accepts 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost"""
    for value in LOOPBACK:
        got = exercise.is_loopback(value)
        assert got is True, (
            f"is_loopback({value!r}) returned {got!r}, expected True: the client turns it into "
            f"{exercise.parse_host(value)!r}, an address on this machine's loopback interface "
            "(127.0.0.0/8, ::1 or ::ffff:127.x.x.x, or the name localhost). Refusing it would "
            "stop people from using their own local model."
        )


def test_loopback_rejects_bind_addresses(exercise):
    """Does not count 0.0.0.0 or :: as loopback"""
    for value in BIND_ADDRESSES:
        got = exercise.is_loopback(value)
        assert got is False, (
            f"is_loopback({value!r}) returned {got!r}, expected False: 0.0.0.0 and :: are "
            "'every interface' bind addresses, not loopback. A host configured like that is a "
            "server setting leaking into the client; treat it as not-loopback so the caller "
            "notices (and on Windows the connection fails anyway)."
        )


def test_loopback_rejects_lookalikes_and_tricks(exercise):
    """Refuses look-alikes, other spellings and hosts hidden behind user info"""
    for value, what in NOT_LOOPBACK:
        got = exercise.is_loopback(value)
        assert got is False, (
            f"is_loopback({value!r}) returned {got!r}, expected False: {what}. Only the exact "
            "name 'localhost' and canonical IP addresses count; anything else would need a DNS "
            "lookup to judge, and deciding whether data may leave must not send anything. "
            "Fail closed."
        )


def test_loopback_fails_closed_on_bad_input(exercise):
    """Returns False, without raising, for values the client cannot use"""
    huge = "a" * 200_000 + ".example"
    for value, what in [*CLIENT_REJECTS, ("localhost:abc", "the port is not a number"),
                        (huge, "a 200,000-character host name")]:
        start = time.perf_counter()
        try:
            got = exercise.is_loopback(value)
        except NotImplementedError:
            raise
        except Exception as exc:
            raise AssertionError(
                f"is_loopback({value[:40]!r}) raised {type(exc).__name__}: {exc}. Expected False: "
                f"{what}, so the client would not connect there; is_loopback answers a yes/no "
                "question and must not crash the caller."
            ) from None
        elapsed = time.perf_counter() - start
        assert got is False, (
            f"is_loopback({value[:40]!r}) returned {got!r}, expected False: {what}. A value the "
            "client rejects is not a loopback address you can vouch for."
        )
        assert elapsed < 1.0, (
            f"is_loopback on {what} took {elapsed:.1f} s; parsing a string should take "
            "milliseconds. Did it try a DNS lookup?"
        )
