"""Differential test: the audit's client reading against the official client.

`audit_ollama_env` judges OLLAMA_API_KEY (and prompts leaving the machine) by the host
the Python client connects to, through the helper `client_host` that its starter gives.
Here that helper is compared with ollama-python's own `_parse_host` on generated
values: the same host name wherever the client builds an http(s) URL, and None
wherever the client raises ValueError (it then sends nothing at all).

The server's reading of OLLAMA_HOST (Go's envconfig.Host()) has no Python counterpart;
the hidden checks pin it with examples instead.
"""

from __future__ import annotations

import ipaddress
import urllib.parse

from hypothesis import assume, example, given
from hypothesis import strategies as st
from ollama._client import _parse_host as client_parse_host
from reference import load_solution

SOLUTION = load_solution("audit_ollama_env")

# What differs from the client, and why. Only values whose scheme is not http or https
# are left out: the client builds a URL that httpx cannot use at all, so nothing is sent,
# and no host name can be compared. (The audit treats them as the client's host anyway,
# which can only add findings.)
DIFFERENCES: dict[str, str] = {
    "not http or https": "scheme the client cannot connect with; excluded from the comparison",
}

PARTS = st.tuples(
    st.sampled_from(["", "http://", "https://", "HTTP://", "://", "http://", " "]),
    st.sampled_from(["", "user@", "127.0.0.1:11434@", "localhost@", "[::1]:1@", "@"]),
    st.sampled_from(["localhost", "127.0.0.1", "0.0.0.0", "[::1]", "[::]", "::", "::1",
                     "evil.example", "EVIL.example.", "", "[::ffff:127.0.0.1]", "[::1%eth0]"])
    | st.integers(0, 2**32 - 1).map(lambda n: str(ipaddress.IPv4Address(n)))
    | st.integers(0, 2**128 - 1).map(lambda n: f"[{ipaddress.IPv6Address(n)}]"),
    st.sampled_from(["", ":", ":0", ":11434", ":65536", ":abc", ": 1", ":-1"]),
    st.sampled_from(["", "/", "/x/", "#@127.0.0.1", "?@localhost"]),
).map("".join)


def _client_reading(value: str) -> str | None:
    try:
        url = client_parse_host(value)
    except ValueError:
        return None  # the client refuses the value when it is created
    split = urllib.parse.urlsplit(url)
    assume(split.scheme.lower() in ("http", "https"))  # DIFFERENCES["not http or https"]
    return split.hostname


@given(PARTS | st.text(max_size=30))
@example(":11434")
@example("127.0.0.1:11434@evil.example")
@example("localhost:abc")
@example("http://")
def test_client_host_matches_the_client(value):
    assert SOLUTION.client_host(value) == _client_reading(value), value
