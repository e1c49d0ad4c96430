"""Differential test: `parse_host` against the official client's own `_parse_host`.

The reference solution must build exactly the base URL that ollama-python builds
(``from ollama._client import _parse_host``), and raise ``ValueError`` exactly where
the client does, for ordinary and adversarial values of OLLAMA_HOST: schemes in any
case, ports that are missing, zero, padded, signed, out of range or not numbers,
IPv6 with and without brackets and zone identifiers, paths, queries, fragments,
trailing slashes and dots, user info, whitespace and quotes.

`is_loopback` has no library counterpart (the client never decides whether a host is
local); it is checked against the course's rule, written out below with the client's
parser and the standard library's `ipaddress`: loopback only for a loopback IP literal
or exactly ``localhost``, never for anything that would need DNS.
"""

from __future__ import annotations

import ipaddress
import urllib.parse

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from ollama._client import _parse_host as client_parse_host
from reference import load_solution, load_starter_docstring

SOLUTION = load_solution("parse_host")

# What differs from ollama._client._parse_host, and why. Nothing: parse_host exists to
# predict the client's URL, so every difference would be a wrong prediction. The starter
# says so ("There are no deliberate differences from the client").
DIFFERENCES: dict[str, str] = {}

SCHEMES = ["", "http://", "https://", "HTTP://", "HTTPS://", "Https://", "ftp://", "ws://",
           "://", "http:/", "http:", "unix://", " http://", "http ://"]
USERINFO = ["", "user@", "user:secret@", "127.0.0.1@", "localhost@", "@", ":@", "a%40b@",
            "127.0.0.1:11434@"]
NAMES = ["localhost", "LOCALHOST", "localhost.", "LocalHost.", "localhost.localdomain",
         "example.com", "Example.COM.", "127.0.0.1", "127.0.0.1.", "127.1", "0.0.0.0", "0",
         "2130706433", "0x7f000001", "127.0.0.1.nip.io", "lоcalhost", "ｌｏｃａｌｈｏｓｔ",
         "１２７.０.０.１", "xn--80akhbyknj4f", "", " ", "a b", "host_name", "-", "%6c"]
PORTS = ["", ":", ":0", ":00080", ":80", ":443", ":11434", ":65535", ":65536", ":99999",
         ":-1", ":+80", ": 80", ":80 ", ":abc", ":0x50", ":٣", ":1e3", "::", ":11434:1"]
PATHS = ["", "/", "//", "/path", "/path/", "/a/b/", "?q=1", "#frag", "/p?q#f", "/%2e%2e/",
         "/127.0.0.1", "#@127.0.0.1", "?@127.0.0.1", "\\\\x"]
WRAPS = ["", " ", "\t", "\n", '"', "'"]
ZONES = ["eth0", "1", "25eth0", "lo", "%"]

# Addresses from integers: hypothesis's ip_addresses() is slow on a busy machine.
ipv4 = st.integers(0, 2**32 - 1).map(lambda n: str(ipaddress.IPv4Address(n)))
ipv6 = st.one_of(
    st.integers(0, 2**128 - 1), st.integers(0, 2**48 - 1),  # small: "::" forms, ::ffff:a.b.c.d
).map(lambda n: str(ipaddress.IPv6Address(n))) | st.sampled_from(
    ["::", "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "0:0:0:0:0:0:0:1", "fe80::1",
     "0001:002:003:0004::1", "::FFFF:127.0.0.1", "FE80::1", "0:0:0:0:0:0:0:0"])
hosts = st.one_of(
    st.sampled_from(NAMES),
    ipv4,
    ipv6.map(lambda a: f"[{a}]"),  # bracketed, as a URL wants
    ipv6,  # bare: the client mostly reads the last group as a port
    st.tuples(ipv6, st.sampled_from(ZONES)).map(lambda t: f"[{t[0]}%{t[1]}]"),
    st.tuples(ipv6, st.sampled_from(ZONES)).map(lambda t: f"{t[0]}%{t[1]}"),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
)
structured = st.builds(
    lambda *parts: "".join(parts),  # wrap, scheme, user info, host, port, path, wrap
    st.sampled_from(WRAPS), st.sampled_from(SCHEMES), st.sampled_from(USERINFO), hosts,
    st.sampled_from(PORTS) | st.integers(-3, 70_000).map(lambda n: f":{n}"),
    st.sampled_from(PATHS), st.sampled_from(WRAPS),
)
values = st.one_of(st.none(), structured, st.text(max_size=40))


def _outcome(function, value):
    """('ok', url) or ('raises', exception type): what the function does with ``value``."""
    try:
        return "ok", function(value)
    except Exception as exc:  # the comparison decides whether this type is the right one
        return "raises", type(exc)


def _course_rule(value: str | None) -> bool:
    """The course's loopback rule, applied to the URL the client itself builds."""
    try:
        hostname = urllib.parse.urlsplit(client_parse_host(value)).hostname or ""
    except ValueError:
        return False  # the client refuses the value: nothing is sent anywhere
    if hostname == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(hostname)
    except ValueError:
        return False  # a name: only DNS could say where it goes
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


@given(values)
@example(None)
@example("")
@example("::1")
@example("[::1%eth0]:8080/x/")
@example("http://127.0.0.1@evil.example")
@example("127.0.0.1:11434@evil.example")
@example(' "0.0.0.0" ')
@example("HTTPS://Example.COM.:0443/")
def test_parse_host_matches_the_client(value):
    ours = _outcome(SOLUTION.parse_host, value)
    theirs = _outcome(client_parse_host, value)
    assert ours == theirs, f"parse_host({value!r}): solution {ours!r}, client {theirs!r}"


@given(values)
@example("localhost.")
@example("127.0.0.1.")
@example("localhost.localdomain")
@example("LOCALHOST.:11434")
@example("[::ffff:127.0.0.1]")
@example("127.0.0.1:11434@evil.example")
@example("0.0.0.0")
def test_is_loopback_follows_the_course_rule(value):
    if value is None:
        value = ""  # is_loopback takes a str; "" is the default address
    assert SOLUTION.is_loopback(value) is _course_rule(value), value


@pytest.mark.parametrize("value", ["localhost.", "127.0.0.1.", "localhost.localdomain",
                                   "LOCALHOST.", "http://localhost.:11434", "127.1",
                                   "127.0.0.1.nip.io", "0.0.0.0", "[::]"])
def test_names_that_need_dns_are_remote(value):
    assert SOLUTION.is_loopback(value) is False, value


def test_differences_are_documented():
    docstring = load_starter_docstring("03_ollama/parse_host.py")
    if not DIFFERENCES:
        assert "no deliberate differences" in docstring
    for what in DIFFERENCES:
        assert what in docstring, f"{what!r} is a deliberate difference the starter omits"
