"""Reference solution for `audit_ollama_env`: find risky Ollama settings in an environment."""

from __future__ import annotations

import ipaddress
import urllib.parse
from collections.abc import Mapping
from typing import NamedTuple


class Finding(NamedTuple):
    """One problem found in the environment."""

    code: str  # one of the codes in CODES
    severity: str  # "high" or "medium"
    message: str  # what is wrong and how to fix it; never contains a secret


# Every code this audit can report, with its severity. Findings come back sorted by
# severity (high first), then by code, so the same environment always gives the same list.
CODES: dict[str, str] = {
    "api-key-plaintext": "high",
    "host-all-interfaces": "high",
    "origins-wildcard": "high",
    "host-network": "medium",
    "host-plaintext": "medium",
}
SEVERITY_ORDER = ("high", "medium")

# Origins with these schemes are web pages: a wildcard there means "any website".
WEB_SCHEMES = ("http", "https")


def clean(value: str | None) -> str:
    """A value the way Ollama's envconfig.Var reads it: spaces, then quotes, then spaces."""
    if value is None:
        return ""
    # Go's strings.Trim(s, "\"'") removes any run of both quote characters from each end.
    return value.strip().strip("\"'").strip()


def server_host(value: str) -> tuple[str, str]:
    """(scheme, host) of a cleaned OLLAMA_HOST, following Ollama's envconfig.Host().

    The host is "" when the value names a port only (":11434"): Go's net.Listen then
    listens on every interface. An empty value means the default, 127.0.0.1.
    """
    scheme, sep, rest = value.partition("://")
    if not sep:
        scheme, rest = "http", value
    hostport = rest.split("/", 1)[0]  # Ollama cuts the path off at the first "/"
    if not hostport:
        return scheme, "127.0.0.1"
    if hostport.startswith("["):  # [v6] or [v6]:port
        return scheme, hostport[1:].split("]", 1)[0]
    if hostport.count(":") == 1:  # host:port, with host possibly empty
        return scheme, hostport.split(":", 1)[0]
    return scheme, hostport  # no port, or a bare IPv6 address such as "::"


def client_host(value: str) -> str | None:
    """The host name ollama-python (0.6.3) connects to for OLLAMA_HOST=``value``.

    None when the client refuses the value: a port that is not a number from 0 to
    65535 makes it raise ValueError when it is created, so it sends nothing.
    (Given in the starter: the same steps as the client's _parse_host.)
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


def classify(host: str) -> str:
    """'all' (every interface), 'loopback', or 'network' (anything else: fail closed)."""
    name = host.lower()
    if name == "":
        return "all"
    if name == "localhost":
        return "loopback"
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        # A name other than localhost: it resolves to whatever DNS says, so assume the
        # network. ("127.1" and "0x7f.1" land here too: we only trust canonical spellings.)
        return "network"
    if ip.is_unspecified:
        return "all"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return "loopback" if ip.is_loopback else "network"


def is_wildcard_origin(origin: str) -> bool:
    """True if a CORS origin pattern lets in web pages that were not listed one by one."""
    if origin == "*":
        return True
    scheme, sep, rest = origin.partition("://")
    if not sep:
        return "*" in origin
    if scheme.lower() not in WEB_SCHEMES:
        return False  # chrome-extension://*, app://* ...: not web pages (review them yourself)
    hostport = rest.split("/", 1)[0]
    host = hostport[1:].split("]", 1)[0] if hostport.startswith("[") else hostport.split(":")[0]
    return "*" in host  # http://localhost:* wildcards only the port of a listed host


def audit_ollama_env(env: Mapping[str, str]) -> list[Finding]:
    """Findings for OLLAMA_HOST, OLLAMA_ORIGINS and OLLAMA_API_KEY in ``env``, sorted."""
    found: dict[str, str] = {}  # code -> message

    host_value = clean(env.get("OLLAMA_HOST"))
    scheme, host = server_host(host_value)
    where = classify(host)  # where `ollama serve` would listen
    client = client_host(host_value)  # where the Python client connects (None: it refuses)
    client_where = classify(client) if client is not None else None
    tls = scheme.lower() == "https"
    if where == "all":
        found["host-all-interfaces"] = (
            f"OLLAMA_HOST={host_value!r} makes `ollama serve` listen on every network "
            "interface (0.0.0.0, :: or an empty host such as ':11434'), so anyone who can "
            "reach this machine can use the API, which has no authentication. Unset it, or "
            "use 127.0.0.1:11434; share a server only behind a proxy with TLS and auth."
        )
    if where == "network" or client_where == "network":
        # The two readers can disagree: "127.0.0.1:11434@evil.example" is loopback to the
        # server and evil.example to the client. Say which one goes where.
        away = []
        if where == "network":
            away.append(f"`ollama serve` would listen on {host!r}, where other machines can "
                        "reach it")
        if client_where == "network":
            away.append(f"the Python client sends every prompt to {client!r}")
        found["host-network"] = (
            f"OLLAMA_HOST={host_value!r} points away from this machine: {'; '.join(away)}. "
            "Use 127.0.0.1:11434 unless you mean to share or use a remote server."
        )
        if not tls:
            found["host-plaintext"] = (
                f"OLLAMA_HOST={host_value!r} uses plain http to another machine: prompts and "
                "replies cross the network unencrypted. Put the server behind an https "
                "reverse proxy and use https:// in OLLAMA_HOST."
            )

    # The client is what sends the key, so this rule reads OLLAMA_HOST the client's way:
    # ":11434" is 127.0.0.1 to it (the key stays here), while 0.0.0.0 is not loopback.
    key_set = bool(clean(env.get("OLLAMA_API_KEY")))
    if key_set and client_where is not None and client_where != "loopback" and not tls:
        found["api-key-plaintext"] = (
            "OLLAMA_API_KEY is set, and the Python client sends it as a bearer token to "
            f"{client!r} (from OLLAMA_HOST={host_value!r}) over plain http, to an address "
            "that is not this machine's loopback. Anyone on the path, and that server, can "
            "read and reuse it. Unset one of the two, or use an https:// host you trust with "
            "the key."
        )

    origins = [o.strip() for o in clean(env.get("OLLAMA_ORIGINS")).split(",")]
    wild = [o for o in origins if o and is_wildcard_origin(o)]
    if wild:
        found["origins-wildcard"] = (
            f"OLLAMA_ORIGINS allows {', '.join(repr(o) for o in wild[:3])}: JavaScript on "
            "web pages you did not list can call your local Ollama from the browser, read "
            "the replies, and pull or delete models. List exact origins instead, e.g. "
            "http://localhost:3000."
        )

    order = sorted(found, key=lambda code: (SEVERITY_ORDER.index(CODES[code]), code))
    return [Finding(code, CODES[code], found[code]) for code in order]
