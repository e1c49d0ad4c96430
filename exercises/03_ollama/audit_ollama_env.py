"""Audit the environment Ollama runs in: exposed ports, open CORS, a leaking API key.

The scenario
------------

Ollama reads its settings from environment variables. Three of them decide who can
talk to your models and what leaves your machine:

    OLLAMA_HOST      where `ollama serve` listens, AND where clients connect
    OLLAMA_ORIGINS   extra web origins the server lets browsers call it from (CORS)
    OLLAMA_API_KEY   a key for ollama.com; the Python client sends it to OLLAMA_HOST

The API has no authentication. A tutorial says "set OLLAMA_HOST=0.0.0.0", a browser
extension says "set OLLAMA_ORIGINS=*", and the machine now serves anyone. You will
write the check that `aisec doctor` runs: read an environment, report what is risky.

One variable, two readers. The SERVER reads OLLAMA_HOST to decide where it listens;
the Python CLIENT reads the same text to decide where it connects, and the two do not
always agree (":11434" is every interface to the server, 127.0.0.1 to the client).
So the audit reads the value twice.

What to implement
-----------------

    audit_ollama_env(env: Mapping[str, str]) -> list[Finding]

`env` is a dict like `os.environ`. Return one Finding per problem (each code at most
once), sorted by severity ("high" first, then "medium"), then by code. No problem,
including an empty env, returns []. Do not change `env`.

Step 1: read values the way Ollama does. For each variable: strip whitespace, then
strip any `"` and `'` characters from both ends, then strip whitespace again
(`value.strip().strip("\\"'").strip()`). A missing or empty variable is unset.
The scheme is the part of OLLAMA_HOST before "://", or "http" if there is none;
compare it case-insensitively ("HTTPS://..." is https).

Step 2: the SERVER's host (where `ollama serve` listens):

- Drop the scheme and "://", then everything from the first "/" (a path).
- What is left is HOST or HOST:PORT. "[v6]" and "[v6]:PORT" give the address
  inside the brackets. With exactly one ":", HOST is the part before it, and may
  be EMPTY (":11434"). With two or more colons and no brackets ("::"), the whole
  thing is the host. If nothing is left at all, the host is 127.0.0.1 (the default).

Step 3: the CLIENT's host (where the Python client connects, and sends the key):
`client_host(value)` below is given. It returns the host name the official client
(ollama-python 0.6.3) connects to, or None when the client refuses the value (a bad
port: it raises ValueError when it is created, so it sends nothing at all). Note
"127.0.0.1:11434@evil.example": the server listens on 127.0.0.1, and the client
sends everything to evil.example ("127.0.0.1:11434@" is user info). (The real client
does not strip spaces or quotes; a quoted value mostly makes it fail. Cleaning first,
as in step 1, errs on the side of reporting.)

Step 4: classify each host (compare it lowercased):

    * every interface: "" (an empty host makes Go's net.Listen use every
      interface), or an IP address whose `is_unspecified` is True (0.0.0.0, ::)
    * loopback: "localhost", or an IP address in 127.0.0.0/8 or ::1. An
      IPv4-mapped address counts as its IPv4 address (`ip.ipv4_mapped`), so
      ::ffff:127.0.0.1 is loopback.
    * network: everything else, including every other name. We never resolve a
      name: "127.0.0.1.nip.io", "localhost.", "lоcalhost" (Cyrillic о) and "127.1"
      are all "network". Fail closed.

Step 5: the findings.

    code                  severity  when
    host-all-interfaces   high      the SERVER's host is "every interface"
    host-network          medium    the SERVER's host is "network", or the
                                    CLIENT's host is "network"
    host-plaintext        medium    host-network applies and the scheme is not https
    api-key-plaintext     high      OLLAMA_API_KEY is set, the client accepts the
                                    value (client_host is not None), the CLIENT's
                                    host is not loopback, and the scheme is not https
    origins-wildcard      high      an entry of OLLAMA_ORIGINS is a wildcard origin

The key rule reads the client's host because the client is what sends the key: with
OLLAMA_HOST=":11434" the server is exposed (host-all-interfaces), but the key goes to
127.0.0.1 and stays on this machine. And 0.0.0.0 is not loopback to the client either:
it connects to that address literally.

OLLAMA_ORIGINS is a comma-separated list; strip spaces around each entry and skip
empty ones. An entry is a wildcard origin if it is "*"; or it has no "://" and
contains "*"; or its scheme (lowercased) is http or https and its HOST part (before
any ":port" or "/path") contains "*": "http://*", "https://*.example.com". Not
"http://localhost:*" (only the port is a wildcard) and not "chrome-extension://*"
(extension schemes are out of scope here).

Each message is one or two sentences: name the variable, say what is wrong and what
to do. A message must NEVER contain the value of OLLAMA_API_KEY: findings end up in
logs, tickets and screenshots.

Examples
--------

>>> audit_ollama_env({})
[]
>>> [f.code for f in audit_ollama_env({"OLLAMA_HOST": "0.0.0.0:11434"})]
['host-all-interfaces']
>>> [f.code for f in audit_ollama_env({"OLLAMA_HOST": ":11434", "OLLAMA_API_KEY": "k"})]
['host-all-interfaces']
>>> [f.code for f in audit_ollama_env({"OLLAMA_HOST": "127.0.0.1:11434@evil.example"})]
['host-network', 'host-plaintext']
>>> env = {"OLLAMA_HOST": "http://192.168.1.20:11434", "OLLAMA_API_KEY": "k",
...        "OLLAMA_ORIGINS": "*"}
>>> [f.code for f in audit_ollama_env(env)]
['api-key-plaintext', 'origins-wildcard', 'host-network', 'host-plaintext']
>>> [f.severity for f in audit_ollama_env(env)]
['high', 'high', 'medium', 'medium']
>>> audit_ollama_env({"OLLAMA_HOST": " 'localhost:11434' ", "OLLAMA_ORIGINS": "http://localhost:*"})
[]

Why it matters
--------------

OWASP LLM10:2025 Unbounded Consumption: an open Ollama server is free compute for
anyone who finds it, and internet-wide scans find them by the thousand. LLM03:2025
Supply Chain: the same API pulls, creates and deletes models, so a stranger can swap
what you run. And the API key is a credential: sent over plain http, it is readable
by everyone on the path. Note the quiet ones: ":11434" means 127.0.0.1 to the Python
client but every interface to the server, and "127.0.0.1:11434@evil.example" means
127.0.0.1 to the server but evil.example to the client.
"""

from __future__ import annotations

import ipaddress  # noqa: F401  (ip_address, is_unspecified, is_loopback, ipv4_mapped)
import urllib.parse
from collections.abc import Mapping
from typing import NamedTuple


class Finding(NamedTuple):
    """One problem found in the environment."""

    code: str  # one of the codes in CODES
    severity: str  # "high" or "medium"
    message: str  # what is wrong and how to fix it; never contains a secret


# Every code this audit can report, with its severity.
CODES: dict[str, str] = {
    "api-key-plaintext": "high",
    "host-all-interfaces": "high",
    "origins-wildcard": "high",
    "host-network": "medium",
    "host-plaintext": "medium",
}
SEVERITY_ORDER = ("high", "medium")


# --- given: where the Python client connects (you write the whole client rule in parse_host)


def client_host(value: str) -> str | None:
    """The host name ollama-python (0.6.3) connects to for OLLAMA_HOST=``value``.

    None when the client refuses the value: a port that is not a number from 0 to
    65535 makes it raise ValueError when it is created, so it sends nothing.
    """
    scheme, _, rest = value.partition("://")
    if not rest:  # no "://" (or nothing after it): the whole value is HOST[:PORT][/PATH]
        scheme, rest = "http", value
    try:
        split = urllib.parse.urlsplit(f"{scheme}://{rest}")
        split.port  # noqa: B018  (reading .port raises ValueError for a bad port)
    except ValueError:
        return None
    return split.hostname or "127.0.0.1"  # urlsplit lowercases it and drops [ ]


# --- your part -------------------------------------------------------------------------


def audit_ollama_env(env: Mapping[str, str]) -> list[Finding]:
    """Findings for OLLAMA_HOST, OLLAMA_ORIGINS and OLLAMA_API_KEY in ``env``, sorted."""
    # TODO 1: clean each value like Ollama does (spaces, quotes, spaces).
    # TODO 2: the scheme, the SERVER's host (step 2) and the CLIENT's host
    #         (client_host(value), given); classify each as every interface, loopback
    #         or network (never resolve names).
    # TODO 3: add host-all-interfaces / host-network / host-plaintext / api-key-plaintext.
    # TODO 4: split OLLAMA_ORIGINS on "," and look for wildcard web origins.
    # TODO 5: build Finding(code, CODES[code], message) and sort by
    #         (SEVERITY_ORDER.index(severity), code).
    raise NotImplementedError("TODO: implement audit_ollama_env")
