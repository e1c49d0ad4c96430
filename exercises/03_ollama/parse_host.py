"""Know where your prompts go: resolve OLLAMA_HOST like the client, then judge it.

The scenario
------------

Your code is about to send a prompt, perhaps with customer data in it, to "the local
model". Is it local? The official Python client (`pip install ollama`) takes a host
from `Client(host=...)`, else from the OLLAMA_HOST variable, else uses
http://127.0.0.1:11434, and turns it into a base URL with its own rules. Before you
let it connect, you want to know exactly which URL it will use, and whether that URL
is this machine.

What to implement
-----------------

    parse_host(value: str | None) -> str
    is_loopback(url: str) -> bool

`parse_host` returns exactly the base URL the official client builds. This exercise
follows ollama-python 0.6.3, the version the course installs (the function has not
changed since 0.5.0). It is `_parse_host` in ollama/_client.py; print it from your own
install, in the environment where the course is installed:

    python -m inspect ollama._client:_parse_host

and try it on a value:

    python -c "from ollama._client import _parse_host; print(_parse_host('0.0.0.0'))"

(In your own code, write `from ollama._client import _parse_host`. The shorter-looking
`import ollama._client as c` gives you the wrong object: `ollama/__init__.py` creates
its default client under the name `_client`, which hides the submodule, so `c` is a
Client and `c._parse_host` raises AttributeError.)

Its rules, which the checks compare against the client's own answers:

- None or "" gives "http://127.0.0.1:11434".
- With no "://", the scheme is http and the default port is 11434 ("example.com"
  gives "http://example.com:11434"). With "http://" the default port is 80, with
  "https://" it is 443. The comparison is case-sensitive: "HTTPS://x" keeps 11434.
- The rest is parsed with `urllib.parse.urlsplit(f"{scheme}://{rest}")`: its
  `.hostname` (lowercased; no host at all, as in ":8080", means 127.0.0.1) and its
  `.port` (a port of 0 counts as no port). A bad port ("host:abc", "host:99999")
  makes `.port` raise ValueError; let it propagate, as the client does.
- An IPv6 address gets its brackets back: "[::1]:8080" gives "http://[::1]:8080".
- The path is kept without its slashes at both ends ("example.com/ollama/" gives
  "http://example.com:11434/ollama"); query and fragment are dropped.
- Nothing else: no stripping of spaces or quotes, no lowercasing of the scheme. There
  are no deliberate differences from the client: wherever it returns a URL, parse_host
  returns the same one, and wherever it raises ValueError, so does parse_host.

`is_loopback(url)` answers: would the client, given this value, connect to this
machine's loopback interface? Run it through `parse_host` first (a ValueError from
there means False: the client would not connect at all), take the hostname, then:

- "localhost" is loopback (urlsplit has already lowercased it).
- An IP address is loopback if it is in 127.0.0.0/8 or is ::1. An IPv4-mapped IPv6
  address counts as its IPv4 address: [::ffff:127.0.0.1] is loopback. (Python's
  `is_loopback` only handles that from 3.13 on; use `ip.ipv4_mapped`.)
- 0.0.0.0 and :: are NOT loopback. They are bind addresses meaning "every
  interface"; the client connects to them literally, which fails on Windows.
- Every other name is NOT loopback, and you never look a name up in DNS: deciding
  whether data may leave the machine must not itself send anything. The rule is:
  a loopback IP literal, or exactly "localhost"; anything that would need DNS is
  remote. So "localhost." and "127.0.0.1." (trailing dots), "localhost.localdomain",
  "127.0.0.1.nip.io", "lоcalhost" (a Cyrillic о), "ｌｏｃａｌｈｏｓｔ" (fullwidth
  letters) and "127.1" are all False, even though some of them would in fact reach
  this machine. Fail closed.

Examples
--------

>>> parse_host(None)
'http://127.0.0.1:11434'
>>> parse_host("http://example.com")
'http://example.com:80'
>>> parse_host("[::1]:8080/ollama/")
'http://[::1]:8080/ollama'
>>> parse_host("http://127.0.0.1@evil.example")     # user info: the host is evil.example
'http://evil.example:80'
>>> is_loopback("localhost:11434"), is_loopback("http://[::1]:8080")
(True, True)
>>> is_loopback("0.0.0.0"), is_loopback("127.0.0.1.nip.io"), is_loopback("host:99999")
(False, False, False)

Why it matters
--------------

OWASP LLM02:2025 Sensitive Information Disclosure: a prompt sent to the wrong host is
a data leak, whatever the reply. The gap between what a value looks like and where it
goes is where leaks hide: "http://127.0.0.1@evil.example" starts with 127.0.0.1 and
goes to evil.example. Checking the string with startswith("127.") or "localhost" in
value would wave it through; parsing it the way the client does will not.
"""

from __future__ import annotations

import ipaddress  # noqa: F401  (ip_address, IPv6Address, ipv4_mapped, is_loopback)
import urllib.parse  # noqa: F401  (urlsplit)

DEFAULT_PORT = 11434
DEFAULT_URL = f"http://127.0.0.1:{DEFAULT_PORT}"


def parse_host(value: str | None) -> str:
    """The base URL the official ollama client builds from ``value`` (same rules, same errors)."""
    # TODO 1: scheme and default port: partition on "://"; http -> 80, https -> 443,
    #         no scheme -> "http" and 11434.
    # TODO 2: urlsplit(f"{scheme}://{rest}") for the hostname (or 127.0.0.1) and the port.
    # TODO 3: brackets back around IPv6 addresses; keep the path without outer slashes.
    raise NotImplementedError("TODO: implement parse_host")


def is_loopback(url: str) -> bool:
    """True if the client, given ``url``, would connect to this machine's loopback interface."""
    # TODO 4: parse_host(url) (ValueError -> False), then the hostname from urlsplit.
    # TODO 5: "localhost" -> True; an IP address -> its is_loopback (map ::ffff:a.b.c.d
    #         to IPv4 first); any other name -> False. No DNS.
    raise NotImplementedError("TODO: implement is_loopback")
